package io.odoogitops.odoo;

import io.odoogitops.ReleaseException;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * What an entry of a module directory may be, checked wherever module files are read (checksum, manifest, image
 * layers). A symbolic link that resolves outside its module is refused: packing or hashing it would read a file of
 * the build machine (a CI secret, an SSH key) into an image layer anyone who can pull reads. A link that stays inside
 * the module is allowed and read through: the image holds a regular file with the target's content, as
 * module_auto_update's checksum reads it. Broken links, link loops, FIFOs, devices and sockets are refused too.
 */
public final class ModuleLinks {

  private ModuleLinks() {}

  /** The module directory with its own links resolved: what "inside the module" means. */
  public static Path root(Path moduleDir) {
    try {
      return moduleDir.toRealPath();
    } catch (IOException e) {
      throw ReleaseException.badInput("cannot read module directory " + moduleDir + " ("
          + e.getClass().getSimpleName() + "); check that it exists and is readable");
    }
  }

  /**
   * Refuses {@code entry} unless it is a regular file or a directory that stays inside {@code realRoot}.
   *
   * @param module the module's name, for the message
   */
  public static void check(Path realRoot, Path entry, String module) {
    if (Files.isSymbolicLink(entry)) {
      String written = linkText(entry);
      Path target;
      try {
        target = entry.toRealPath();
      } catch (NoSuchFileException e) {
        throw ReleaseException.badInput(entry + " is a broken symbolic link (to " + written + "); remove it or"
            + " replace it with the file it should be");
      } catch (FileSystemException e) {
        throw ReleaseException.badInput(entry + " is a symbolic link that cannot be resolved (to " + written + ", "
            + (e.getReason() == null ? e.getClass().getSimpleName() : e.getReason()) + "); remove it");
      } catch (IOException e) {
        throw ReleaseException.badInput(entry + " is a symbolic link that cannot be resolved (to " + written + ", "
            + e.getClass().getSimpleName() + "); remove it");
      }
      if (!target.startsWith(realRoot)) {
        throw ReleaseException.badInput(entry + " is a symbolic link to " + written + ", outside its module "
            + module + "; it would copy a file of the build machine into the image. Replace the link with the"
            + " file itself, or point it at a file inside the module");
      }
    }
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(entry, BasicFileAttributes.class);
    } catch (IOException e) {
      throw ReleaseException.badInput("cannot read " + entry + " (" + e.getClass().getSimpleName()
          + "); check its permissions");
    }
    if (!attributes.isRegularFile() && !attributes.isDirectory()) {
      throw ReleaseException.badInput(entry + " is not a regular file (a FIFO, device or socket) in module "
          + module + "; remove it: reading it could hang or never end");
    }
  }

  private static String linkText(Path link) {
    try {
      return Files.readSymbolicLink(link).toString();
    } catch (IOException e) {
      return "an unreadable target";
    }
  }
}
