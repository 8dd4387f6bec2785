package io.odoogitops.odoo;

import io.odoogitops.InputFiles;
import io.odoogitops.ReleaseException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The keys of an Odoo manifest this project acts on, with Odoo's defaults for the ones left out
 * ({@code installable: True}, {@code auto_install: False}, {@code depends: []}, {@code version: '1.0'}).
 * Every other key stays available, with its position, through {@link #literal()}.
 *
 * @param name the {@code name} key (the human title; the technical name is the directory's)
 * @param autoInstall whether the module installs itself once its triggers are installed
 * @param autoInstallTriggers the modules whose installation triggers it: all of {@code depends} for
 *     {@code auto_install: True}, or the listed subset (Odoo 16+ accepts a list)
 * @param externalDependencies e.g. {@code python -> [requests]}, {@code bin -> [wkhtmltopdf]}
 */
public record Manifest(
    String file,
    String name,
    String version,
    List<String> depends,
    boolean installable,
    boolean autoInstall,
    Set<String> autoInstallTriggers,
    boolean application,
    String license,
    Map<String, List<String>> externalDependencies,
    PyLiteral.Dict literal) {

  /** File names Odoo looks for, newest first ({@code __openerp__.py} is what Odoo 9 and older used). */
  public static final List<String> FILE_NAMES = List.of("__manifest__.py", "__openerp__.py");

  static final String DEFAULT_VERSION = "1.0";
  static final String DEFAULT_LICENSE = "LGPL-3";

  public Manifest {
    depends = List.copyOf(depends);
    autoInstallTriggers = Set.copyOf(autoInstallTriggers);
    externalDependencies = Map.copyOf(externalDependencies);
  }

  /** The manifest file of a module directory, if it is one. */
  public static Optional<Path> fileIn(Path moduleDir) {
    return FILE_NAMES.stream().map(moduleDir::resolve).filter(Files::isRegularFile).findFirst();
  }

  /** Reads and parses a manifest file (UTF-8, as Odoo opens it). */
  public static Manifest read(Path file) {
    byte[] bytes = InputFiles.read(file, "manifest", InputFiles.DOCUMENT_LIMIT);
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw ReleaseException.badInput(file + ": not valid UTF-8; save the manifest as UTF-8");
    }
    return parse(file.toString(), text);
  }

  /** Parses manifest text; {@code file} only names it in errors. */
  public static Manifest parse(String file, String text) {
    PyLiteral literal = LiteralParser.parse(file, text);
    if (!(literal instanceof PyLiteral.Dict dict)) {
      throw ReleaseException.badInput(literal.position() + ": a manifest must be a dict, found a "
          + literal.typeName());
    }
    for (PyLiteral.Dict.Entry entry : dict.entries()) {
      if (!(entry.key() instanceof PyLiteral.Str)) {
        throw ReleaseException.badInput(entry.key().position() + ": manifest keys must be strings, found a "
            + entry.key().typeName());
      }
    }
    List<String> depends = names(dict, "depends");
    PyLiteral autoInstall = dict.get("auto_install").orElse(null);
    Set<String> triggers = new LinkedHashSet<>();
    boolean auto;
    Optional<List<PyLiteral>> iterated = autoInstall == null ? Optional.empty() : iteration(autoInstall);
    if (iterated.isPresent()) {
      // Odoo: isinstance(auto_install, Iterable) -> set(auto_install), which must be a subset of depends.
      auto = true;
      for (PyLiteral trigger : iterated.get()) {
        if (!(trigger instanceof PyLiteral.Str name) || !depends.contains(name.value())) {
          throw notADependency(autoInstall, trigger);
        }
        triggers.add(name.value());
      }
    } else {
      auto = autoInstall != null && autoInstall.truthy();
      if (auto) {
        triggers.addAll(depends);
      }
    }
    return new Manifest(file,
        string(dict, "name", ""),
        string(dict, "version", DEFAULT_VERSION),
        depends,
        dict.get("installable").map(PyLiteral::truthy).orElse(true),
        auto,
        triggers,
        dict.get("application").map(PyLiteral::truthy).orElse(false),
        license(dict),
        externalDependencies(dict),
        dict);
  }

  /** Where a key was written, for messages such as "depends on X (file:12:5)". */
  public Optional<SourcePosition> positionOf(String key) {
    return literal.get(key).map(PyLiteral::position);
  }

  /** Odoo: {@code if not manifest.get('license'): manifest['license'] = 'LGPL-3'} (None, False, '' included). */
  private static String license(PyLiteral.Dict dict) {
    PyLiteral value = dict.get("license").orElse(null);
    return value == null || !value.truthy() ? DEFAULT_LICENSE : string(dict, "license", DEFAULT_LICENSE);
  }

  /** What Python's iteration yields for an iterable literal (a str its characters, a dict its keys), else empty. */
  private static Optional<List<PyLiteral>> iteration(PyLiteral value) {
    if (value instanceof PyLiteral.Sequence sequence) {
      return Optional.of(sequence.items());
    }
    if (value instanceof PyLiteral.Dict dict) {
      return Optional.of(dict.entries().stream().map(PyLiteral.Dict.Entry::key).toList());
    }
    if (value instanceof PyLiteral.Str str) {
      return Optional.of(str.value().codePoints()
          .mapToObj(c -> (PyLiteral) new PyLiteral.Str(Character.toString(c), str.position())).toList());
    }
    if (value instanceof PyLiteral.Bytes bytes) {
      return Optional.of(bytes.value().chars()
          .mapToObj(c -> (PyLiteral) new PyLiteral.Int(BigInteger.valueOf(c), bytes.position())).toList());
    }
    return Optional.empty();
  }

  private static ReleaseException notADependency(PyLiteral autoInstall, PyLiteral trigger) {
    if (autoInstall instanceof PyLiteral.Str str) {
      String characters = str.value().codePoints().mapToObj(c -> "'" + Character.toString(c) + "'")
          .collect(Collectors.joining(", "));
      return ReleaseException.badInput(autoInstall.position() + ": auto_install is the string '" + str.value()
          + "'; Odoo iterates it as the characters " + characters + ", which are not all in depends, and fails to"
          + " load the module; write True (triggered by all of depends) or a list such as ['" + str.value() + "']");
    }
    String shown = trigger instanceof PyLiteral.Str name ? "'" + name.value() + "'"
        : trigger instanceof PyLiteral.Int number ? number.value().toString() : "a " + trigger.typeName();
    return ReleaseException.badInput(autoInstall.position() + ": auto_install lists " + shown
        + ", which is not in depends; Odoo requires the triggers to be dependencies");
  }

  private static String string(PyLiteral.Dict dict, String key, String fallback) {
    PyLiteral value = dict.get(key).orElse(null);
    if (value == null) {
      return fallback;
    }
    if (value instanceof PyLiteral.Str s) {
      return s.value();
    }
    throw ReleaseException.badInput(value.position() + ": '" + key + "' must be a string, found a "
        + value.typeName() + (key.equals("version") ? " (write it quoted, e.g. '17.0.1.0.0')" : ""));
  }

  private static List<String> names(PyLiteral.Dict dict, String key) {
    PyLiteral value = dict.get(key).orElse(null);
    if (value == null) {
      return List.of();
    }
    return stringItems(value, "'" + key + "'");
  }

  private static List<String> stringItems(PyLiteral value, String what) {
    if (!(value instanceof PyLiteral.Sequence sequence)) {
      throw ReleaseException.badInput(value.position() + ": " + what + " must be a list of strings, found a "
          + value.typeName());
    }
    List<String> names = new ArrayList<>();
    for (PyLiteral item : sequence.items()) {
      if (!(item instanceof PyLiteral.Str s)) {
        throw ReleaseException.badInput(item.position() + ": " + what + " must be a list of strings, found a "
            + item.typeName() + " in it");
      }
      names.add(s.value());
    }
    return names;
  }

  private static Map<String, List<String>> externalDependencies(PyLiteral.Dict dict) {
    PyLiteral value = dict.get("external_dependencies").orElse(null);
    if (value == null) {
      return Map.of();
    }
    if (!(value instanceof PyLiteral.Dict deps)) {
      throw ReleaseException.badInput(value.position() + ": 'external_dependencies' must be a dict such as "
          + "{'python': ['requests']}, found a " + value.typeName());
    }
    Map<String, List<String>> result = new LinkedHashMap<>();
    for (PyLiteral.Dict.Entry entry : deps.entries()) {
      if (!(entry.key() instanceof PyLiteral.Str kind)) {
        throw ReleaseException.badInput(entry.key().position() + ": 'external_dependencies' keys must be strings");
      }
      result.put(kind.value(), stringItems(entry.value(), "external_dependencies['" + kind.value() + "']"));
    }
    return result;
  }
}
