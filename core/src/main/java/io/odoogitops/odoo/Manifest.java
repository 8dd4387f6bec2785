package io.odoogitops.odoo;

import io.odoogitops.ReleaseException;
import java.io.IOException;
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
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file)))
          .toString();
    } catch (CharacterCodingException e) {
      throw ReleaseException.badInput(file + ": not valid UTF-8; save the manifest as UTF-8");
    } catch (IOException e) {
      throw ReleaseException.badInput("cannot read " + file + " (" + e.getClass().getSimpleName()
          + "); check that it exists and is readable");
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
    if (autoInstall instanceof PyLiteral.Sequence) {
      triggers.addAll(names(dict, "auto_install"));
      auto = true;
      for (String trigger : triggers) {
        if (!depends.contains(trigger)) {
          throw ReleaseException.badInput(autoInstall.position() + ": auto_install lists '" + trigger
              + "', which is not in depends; Odoo requires the triggers to be dependencies");
        }
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
        string(dict, "license", DEFAULT_LICENSE),
        externalDependencies(dict),
        dict);
  }

  /** Where a key was written, for messages such as "depends on X (file:12:5)". */
  public Optional<SourcePosition> positionOf(String key) {
    return literal.get(key).map(PyLiteral::position);
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
