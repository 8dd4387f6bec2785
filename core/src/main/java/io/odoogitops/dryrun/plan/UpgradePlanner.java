package io.odoogitops.dryrun.plan;

import io.odoogitops.ReleaseException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Plans the Odoo upgrade without running Odoo: compares the image's modules with the database's, lists the
 * migration scripts Odoo would execute, by the rules of {@link OdooVersion}, and the modules it would install, by
 * the rules of {@link ModuleInstalls}.
 */
public final class UpgradePlanner {

  private static final Pattern SERIES = Pattern.compile("\\d+\\.0|saas~\\d+\\.\\d+");
  private static final List<String> STAGES = List.of("pre", "post", "end");

  private final String series;

  /** @param series the image's Odoo series, e.g. {@code 17.0} */
  public UpgradePlanner(String series) {
    if (series == null || !SERIES.matcher(series).matches()) {
      throw ReleaseException.badInput("Odoo series '" + series + "' is not like 17.0");
    }
    this.series = series;
  }

  public UpgradePlan plan(List<ImageModule> image, Map<String, InstalledModule> database) {
    return plan(image, database, Set.of());
  }

  /**
   * @param baseModules modules the base image provides: installed ones come with it (its digest pins their version)
   *     rather than missing from the release, and a dependency the release adds may come from it; empty when not
   *     known, then a dependency outside the release is taken to come from the base image
   */
  public UpgradePlan plan(List<ImageModule> image, Map<String, InstalledModule> database, Set<String> baseModules) {
    Map<String, ModulePlan> plans = new TreeMap<>();
    for (ImageModule module : image) {
      plans.put(module.name(), planOne(module, database.get(module.name())));
    }
    database.values().stream().filter(InstalledModule::installed).filter(m -> !plans.containsKey(m.name()))
        .filter(m -> baseModules.contains(m.name()))
        .forEach(m -> plans.put(m.name(), new ModulePlan(m.name(), ModulePlan.Action.IN_BASE_IMAGE,
            m.latestVersion(), null, "provided by the base image, which pins its version", List.of())));
    database.values().stream().filter(InstalledModule::installed).filter(m -> !plans.containsKey(m.name()))
        .forEach(m -> plans.put(m.name(), new ModulePlan(m.name(), ModulePlan.Action.MISSING_FROM_IMAGE,
            m.latestVersion(), null, "installed in the database but not in the image: the registry fails to load"
            + " it; uninstall it first or add it to the image", List.of())));
    Set<String> installed = database.values().stream().filter(InstalledModule::installed).map(InstalledModule::name)
        .collect(Collectors.toSet());
    plans.putAll(ModuleInstalls.plan(series, image, installed, baseModules));
    return new UpgradePlan(series, List.copyOf(plans.values()));
  }

  private ModulePlan planOne(ImageModule module, InstalledModule installed) {
    String imageVersion = OdooVersion.adapt(series, module.version());
    if (installed == null || !installed.installed() || installed.latestVersion() == null) {
      return new ModulePlan(module.name(), ModulePlan.Action.INSTALLABLE, null, imageVersion,
          "not installed in the database", List.of());
    }
    OdooVersion from = OdooVersion.parse(installed.latestVersion());
    OdooVersion to = OdooVersion.parse(imageVersion);
    int cmp = from.compareTo(to);
    if (cmp > 0) {
      return new ModulePlan(module.name(), ModulePlan.Action.DOWNGRADE, installed.latestVersion(), imageVersion,
          "the database has a newer version than the image; Odoo does not downgrade", List.of());
    }
    boolean checksumChanged = module.checksum() != null && installed.checksum() != null
        && !Objects.equals(module.checksum(), installed.checksum());
    if (cmp == 0 && !checksumChanged) {
      return new ModulePlan(module.name(), ModulePlan.Action.UNCHANGED, installed.latestVersion(), imageVersion,
          installed.checksum() == null || module.checksum() == null ? "same version (no checksum to compare)"
              : "same version and checksum", List.of());
    }
    String reason = cmp < 0 ? "version " + installed.latestVersion() + " -> " + imageVersion
        : "same version, files changed (checksum " + installed.checksum() + " -> " + module.checksum() + ")";
    return new ModulePlan(module.name(), ModulePlan.Action.UPGRADE, installed.latestVersion(), imageVersion, reason,
        scripts(module, from, to));
  }

  /** The scripts of {@code migrations/} and {@code upgrades/}, in the order Odoo runs them per stage. */
  List<MigrationScript> scripts(ImageModule module, OdooVersion installed, OdooVersion target) {
    if (module.directory() == null) {
      return List.of();
    }
    Map<String, List<Path>> byFolder = new TreeMap<>();
    for (String root : List.of("migrations", "upgrades")) {
      Path dir = module.directory().resolve(root);
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (Stream<Path> folders = Files.list(dir)) {
        for (Path folder : folders.filter(Files::isDirectory).toList()) {
          String name = folder.getFileName().toString();
          if (OdooVersion.FOLDER.matcher(name).matches()) {
            try (Stream<Path> files = Files.list(folder)) {
              byFolder.computeIfAbsent(name, k -> new ArrayList<>())
                  .addAll(files.filter(f -> f.getFileName().toString().endsWith(".py")).toList());
            }
          }
        }
      } catch (IOException e) {
        throw ReleaseException.badInput("cannot list " + dir + ": " + e.getMessage());
      }
    }
    List<MigrationScript> scripts = new ArrayList<>();
    for (String stage : STAGES) {
      List<String> folders = new ArrayList<>(byFolder.keySet());
      folders.sort(Comparator.comparing(f -> OdooVersion.parse(OdooVersion.convertFolder(series, f))));
      if (folders.remove(OdooVersion.ANY_CHANGE)) {
        // Odoo runs 0.0.0 first in pre, last in post and end
        if (stage.equals("pre")) {
          folders.add(0, OdooVersion.ANY_CHANGE);
        } else {
          folders.add(OdooVersion.ANY_CHANGE);
        }
      }
      for (String folder : folders) {
        if (!runs(folder, installed, target)) {
          continue;
        }
        byFolder.get(folder).stream()
            .filter(f -> f.getFileName().toString().startsWith(stage + "-"))
            .sorted(Comparator.comparing(f -> f.getFileName().toString()))
            .forEach(f -> scripts.add(new MigrationScript(stage, folder,
                module.directory().relativize(f).toString().replace('\\', '/'))));
      }
    }
    return scripts;
  }

  private boolean runs(String folder, OdooVersion installed, OdooVersion target) {
    if (folder.equals(OdooVersion.ANY_CHANGE)) {
      return installed.compareTo(target) < 0;
    }
    String full = OdooVersion.convertFolder(series, folder);
    OdooVersion version = OdooVersion.parse(full);
    if (!full.equals(folder)) {
      // a major-less folder compares module versions only, so 2.0 scripts do not rerun when only the series moves
      return installed.withoutSeries().compareTo(version.withoutSeries()) < 0
          && version.withoutSeries().compareTo(target.withoutSeries()) <= 0;
    }
    return installed.compareTo(version) < 0 && version.compareTo(target) <= 0;
  }
}
