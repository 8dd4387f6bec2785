package io.odoogitops.image;

import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FileEntry;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import io.odoogitops.ReleaseException;
import io.odoogitops.odoo.ModuleLinks;
import io.odoogitops.odoo.OdooModule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Turns modules into image layers, one per module, so that changing one module re-uploads one layer. Everything
 * that could differ between two checkouts of the same commit is fixed: entries sorted by path, every timestamp at
 * 1970-01-01T00:00:01Z, owner root:root, mode 644 (755 when the owner may execute, as git records it). Python
 * bytecode caches are left out: they are build-machine leftovers, and module_auto_update ignores them as well.
 * Symbolic links to files inside the module are packed as regular files with the target's content; links leaving the
 * module are refused ({@link ModuleLinks}).
 */
final class AddonLayers {

  /** One second after the epoch: some tools treat a zero timestamp as "unknown". */
  static final Instant FILE_TIME = Instant.ofEpochSecond(1);
  static final String OWNERSHIP = "0:0";

  private static final FilePermissions REGULAR = FilePermissions.fromOctalString("644");
  private static final FilePermissions EXECUTABLE = FilePermissions.fromOctalString("755");

  private AddonLayers() {}

  /** The layer holding each of its modules at {@code addonsRoot/<name>}. */
  static FileEntriesLayer of(LayerPlan.Layer planned, AbsoluteUnixPath addonsRoot) {
    FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName(planned.name());
    for (OdooModule module : planned.modules()) {
      AbsoluteUnixPath moduleRoot = addonsRoot.resolve(module.name());
      // A module directory may itself be a symbolic link (addons directories assembled from several checkouts).
      Path source = ModuleLinks.root(module.path());
      for (Path file : filesOf(source, module.name())) {
        String relative = toUnix(source.relativize(file));
        layer.addEntry(new FileEntry(file, moduleRoot.resolve(relative), permissionsOf(file), FILE_TIME,
            OWNERSHIP));
      }
    }
    return layer.build();
  }

  /** A layer with one generated file. */
  static FileEntriesLayer singleFile(String name, Path source, AbsoluteUnixPath target) {
    return FileEntriesLayer.builder().setName(name)
        .addEntry(new FileEntry(source, target, REGULAR, FILE_TIME, OWNERSHIP))
        .build();
  }

  private static List<Path> filesOf(Path moduleDir, String module) {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(moduleDir)) {
      for (Path path : (Iterable<Path>) walk::iterator) {
        if (!path.equals(moduleDir)) {
          // Checked again here, not only by the checksum: the layer takes files the checksum rules leave out.
          ModuleLinks.check(moduleDir, path, module);
        }
        if (Files.isSymbolicLink(path) && Files.isDirectory(path)) {
          throw ReleaseException.badInput(path + " is a symbolic link to a directory; module_auto_update does not "
              + "follow those, so the image and the checksum would disagree. Replace it with the real files");
        }
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS) || isBytecode(moduleDir.relativize(path))) {
          continue;
        }
        if (!Files.isReadable(path)) {
          throw ReleaseException.badInput("cannot read " + path + "; check its permissions");
        }
        files.add(path);
      }
    } catch (IOException | java.io.UncheckedIOException e) {
      throw ReleaseException.badInput("cannot list the files of module " + moduleDir + " (" + e.getMessage()
          + "); check its permissions");
    }
    files.sort((a, b) -> toUnix(moduleDir.relativize(a)).compareTo(toUnix(moduleDir.relativize(b))));
    return files;
  }

  private static boolean isBytecode(Path relative) {
    for (Path part : relative) {
      if (part.toString().equals("__pycache__")) {
        return true;
      }
    }
    String name = relative.getFileName().toString();
    return name.endsWith(".pyc") || name.endsWith(".pyo");
  }

  /** 755 when the owner may execute the file, else 644: the two modes git records. */
  static FilePermissions permissionsOf(Path file) {
    try {
      return Files.getPosixFilePermissions(file).contains(java.nio.file.attribute.PosixFilePermission.OWNER_EXECUTE)
          ? EXECUTABLE : REGULAR;
    } catch (UnsupportedOperationException | IOException e) {
      return REGULAR;
    }
  }

  private static String toUnix(Path relative) {
    return relative.toString().replace(relative.getFileSystem().getSeparator(), "/");
  }
}
