package io.odoogitops.dryrun.setup;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.odoogitops.InputFiles;
import io.odoogitops.ReleaseException;
import io.odoogitops.dryrun.plan.ImageModule;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The image's modules as a JSON list {@code [{"name", "version", "checksum", "path", "depends", "autoInstall",
 * "countries"}]}, paths relative to the file; {@code depends}, {@code autoInstall} ({@code true} or a list of
 * triggers, as in a manifest) and {@code countries} are optional, and without them the plan cannot tell what the
 * upgrade installs.
 */
final class ImageModulesFile {

  private ImageModulesFile() {
  }

  record Entry(String name, String version, String checksum, String path, List<String> depends,
      JsonNode autoInstall, List<String> countries) {
  }

  static List<ImageModule> read(Path file) {
    try {
      List<Entry> entries = new ObjectMapper().readValue(
          InputFiles.read(file, "image modules file", InputFiles.DOCUMENT_LIMIT), new TypeReference<>() { });
      if (entries == null) {
        throw ReleaseException.badInput(file + ": expected a JSON list of modules, found null");
      }
      Path base = file.toAbsolutePath().getParent();
      List<ImageModule> modules = new ArrayList<>();
      for (Entry e : entries) {
        if (e == null || e.name() == null || e.version() == null) {
          throw ReleaseException.badInput(file + ": every module needs a name and a version");
        }
        List<String> depends = e.depends() == null ? List.of() : e.depends();
        if (depends.stream().anyMatch(Objects::isNull)
            || (e.countries() != null && e.countries().stream().anyMatch(Objects::isNull))) {
          throw ReleaseException.badInput(file + ": depends and countries of " + e.name() + " must list names");
        }
        try {
          modules.add(new ImageModule(e.name(), e.version(), e.checksum(),
              e.path() == null ? null : base.resolve(e.path()).normalize(), depends, autoInstall(file, e),
              triggers(file, e, depends), e.countries()));
        } catch (ReleaseException invalid) {
          throw ReleaseException.badInput(file + ": " + invalid.getMessage());
        }
      }
      return modules;
    } catch (IOException e) {
      throw ReleaseException.badInput("cannot read image modules from " + file + ": " + e.getMessage());
    }
  }

  private static boolean autoInstall(Path file, Entry e) {
    JsonNode value = e.autoInstall();
    if (value == null || value.isNull()) {
      return false;
    }
    if (value.isArray()) {
      return true;
    }
    if (!value.isBoolean()) {
      throw ReleaseException.badInput(file + ": autoInstall of " + e.name() + " must be true, false or a list of"
          + " dependencies");
    }
    return value.booleanValue();
  }

  /** As Odoo reads the manifest: {@code true} is triggered by all of depends, a list by the ones it names. */
  private static Set<String> triggers(Path file, Entry e, List<String> depends) {
    JsonNode value = e.autoInstall();
    if (value == null || !value.isArray()) {
      return autoInstall(file, e) ? Set.copyOf(depends) : Set.of();
    }
    Set<String> triggers = new LinkedHashSet<>();
    for (JsonNode trigger : value) {
      if (!trigger.isTextual()) {
        throw ReleaseException.badInput(file + ": autoInstall of " + e.name() + " must list module names");
      }
      triggers.add(trigger.textValue());
    }
    return triggers;
  }
}
