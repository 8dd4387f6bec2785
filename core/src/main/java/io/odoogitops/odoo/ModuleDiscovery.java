package io.odoogitops.odoo;

import io.odoogitops.ReleaseException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the modules of one or more addons directories the way Odoo's {@code addons_path} does: every direct
 * subdirectory holding a {@code __manifest__.py} (or the older {@code __openerp__.py}) is a module named after the
 * directory. Unlike Odoo, which silently lets the first addons path win, a module name found twice is an error: an
 * image must not depend on the order of its addons paths.
 */
public final class ModuleDiscovery {

  private final ChecksumRules checksumRules;

  public ModuleDiscovery(ChecksumRules checksumRules) {
    this.checksumRules = checksumRules;
  }

  /** Discovery with module_auto_update's default checksum rules. */
  public static ModuleDiscovery withDefaultChecksums() {
    return new ModuleDiscovery(ChecksumRules.moduleAutoUpdateDefaults());
  }

  /** Every module of {@code addonsDirs} (installable or not), sorted by name. */
  public List<OdooModule> discover(List<Path> addonsDirs) {
    if (addonsDirs.isEmpty()) {
      throw ReleaseException.badInput("no addons directory given; pass at least one directory holding modules");
    }
    Map<String, OdooModule> byName = new HashMap<>();
    for (Path addonsDir : addonsDirs) {
      for (Path moduleDir : moduleDirectories(addonsDir)) {
        String name = moduleDir.getFileName().toString();
        Path manifestFile = Manifest.fileIn(moduleDir).orElseThrow();
        ModuleLinks.check(ModuleLinks.root(moduleDir), manifestFile, name);
        Manifest manifest = Manifest.read(manifestFile);
        OdooModule module = new OdooModule(name, moduleDir, manifest, AddonChecksum.of(moduleDir, checksumRules));
        OdooModule clash = byName.putIfAbsent(name, module);
        if (clash != null) {
          throw ReleaseException.badInput("module '" + name + "' is found twice: in " + clash.path() + " and in "
              + moduleDir + "; remove one copy or drop one of the addons directories");
        }
      }
    }
    List<OdooModule> modules = new ArrayList<>(byName.values());
    modules.sort(Comparator.comparing(OdooModule::name));
    return List.copyOf(modules);
  }

  /**
   * Only the names of the modules in {@code addonsDirs}, without parsing or hashing anything: enough to know what a
   * base image provides (Odoo's own addons are hundreds of modules).
   */
  public static java.util.SortedSet<String> namesIn(List<Path> addonsDirs) {
    java.util.SortedSet<String> names = new java.util.TreeSet<>();
    for (Path addonsDir : addonsDirs) {
      moduleDirectories(addonsDir).forEach(dir -> names.add(dir.getFileName().toString()));
    }
    return names;
  }

  private static List<Path> moduleDirectories(Path addonsDir) {
    if (!Files.isDirectory(addonsDir)) {
      throw ReleaseException.badInput("addons directory " + addonsDir + " does not exist or is not a directory");
    }
    Optional<Path> ownManifest = Manifest.fileIn(addonsDir);
    if (ownManifest.isPresent()) {
      throw ReleaseException.badInput(addonsDir + " is itself a module (it has " + ownManifest.get().getFileName()
          + "); pass the directory that contains it: " + addonsDir.toAbsolutePath().getParent());
    }
    List<Path> modules = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(addonsDir)) {
      for (Path entry : entries) {
        if (Files.isDirectory(entry) && Manifest.fileIn(entry).isPresent()) {
          modules.add(entry);
        }
      }
    } catch (IOException e) {
      throw ReleaseException.badInput("cannot list addons directory " + addonsDir + " ("
          + e.getClass().getSimpleName() + "); check its permissions");
    }
    modules.sort(Comparator.comparing(p -> p.getFileName().toString()));
    return modules;
  }
}
