package io.odoogitops.restore.backup;

import io.odoogitops.ReleaseException;
import io.odoogitops.dryrun.clone.DumpRestore;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A directory written under a hidden temporary name ({@code .<name>.partial}) and renamed to {@code <name>} only when
 * complete: whatever stops a run half-way (a failure, a full disk, a kill) leaves nothing under the final name, and a
 * later run sweeps the leftovers.
 */
final class PartialDirectory implements AutoCloseable {

  private static final String SUFFIX = ".partial";

  private final Path partial;
  private final Path target;
  private boolean committed;

  private PartialDirectory(Path partial, Path target) {
    this.partial = partial;
    this.target = target;
  }

  /**
   * Checks {@code parent} and creates the temporary directory in it, which also proves it writable: the check is
   * the act, so nothing expensive starts before it.
   *
   * @param what how to name {@code parent} in errors, e.g. "the dump location"
   */
  static PartialDirectory create(Path parent, String name, String what) {
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(parent, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      throw ReleaseException.badInput(what + " " + parent + " does not exist; create it (writable by the user that"
          + " runs odoo-gitops) or fix the path in odoo-gitops.yaml");
    } catch (IOException e) {
      throw ReleaseException.badInput("cannot read " + what + " " + parent + " (" + e.getClass().getSimpleName()
          + "); check its permissions");
    }
    if (!attributes.isDirectory()) {
      throw ReleaseException.badInput(what + " " + parent + " is " + (attributes.isRegularFile() ? "a file" : "not a"
          + " directory") + ", not a directory; point it at a directory");
    }
    Path target = parent.resolve(name);
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      throw ReleaseException.refused(target + " already exists; a restore point is never overwritten: wait a second"
          + " and take a new one");
    }
    Path partial = parent.resolve("." + name + SUFFIX);
    try {
      // a restore point holds production data: only its owner may read it, whatever the umask
      if (parent.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        Files.createDirectory(partial, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
            "rwx------")));
      } else {
        Files.createDirectory(partial);
      }
    } catch (FileAlreadyExistsException e) {
      throw ReleaseException.refused("another run is writing " + partial + "; wait for it or remove that directory");
    } catch (AccessDeniedException e) {
      throw ReleaseException.badInput(what + " " + parent + " is not writable by this user; fix its permissions or"
          + " the path in odoo-gitops.yaml");
    } catch (IOException e) {
      throw ReleaseException.badInput("cannot create a directory in " + what + " " + parent + " ("
          + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())
          + "); it must be a writable directory");
    }
    return new PartialDirectory(partial, target);
  }

  Path path() {
    return partial;
  }

  Path target() {
    return target;
  }

  /** Renames to the final name and makes the rename durable. */
  Path commit() {
    try {
      if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
        throw ReleaseException.refused(target + " appeared while the restore point was written; nothing was"
            + " replaced, the new copy is discarded");
      }
      Files.move(partial, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      committed = true;
    } catch (IOException e) {
      throw ReleaseException.infrastructure("cannot rename " + partial + " to " + target + " ("
          + e.getClass().getSimpleName() + ")", e);
    }
    try (FileChannel dir = FileChannel.open(target.getParent(), StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException ignored) {
      // not every file system syncs a directory; the rename itself is atomic either way
    }
    return target;
  }

  @Override
  public void close() {
    if (!committed) {
      DumpRestore.deleteTree(partial);
    }
  }

  /**
   * Removes leftovers of runs that died (a kill leaves no chance to clean up) whose names match {@code names} and
   * that were last written longer than {@code olderThan} ago, so a run still under way is left alone.
   */
  static void sweep(Path parent, Pattern names, Duration olderThan, Instant now) {
    try (Stream<Path> entries = Files.list(parent)) {
      entries.filter(p -> p.getFileName().toString().endsWith(SUFFIX))
          .filter(p -> names.matcher(p.getFileName().toString()).matches())
          .filter(p -> modifiedBefore(p, now.minus(olderThan)))
          .forEach(DumpRestore::deleteTree);
    } catch (IOException ignored) {
      // the sweep is housekeeping; the run itself reports a location it cannot use
    }
  }

  private static boolean modifiedBefore(Path path, Instant limit) {
    try {
      FileTime modified = Files.getLastModifiedTime(path, LinkOption.NOFOLLOW_LINKS);
      return modified.toInstant().isBefore(limit);
    } catch (IOException e) {
      return false;
    }
  }

  static long size(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      return paths.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).mapToLong(p -> {
        try {
          return Files.size(p);
        } catch (IOException e) {
          return 0;
        }
      }).sum();
    } catch (IOException e) {
      return 0;
    }
  }
}
