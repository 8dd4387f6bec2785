package io.odoogitops.dryrun.setup;

import io.odoogitops.InputFiles;
import io.odoogitops.ReleaseException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The checks every path a dry-run is given goes through before anything touches the source: a typo found after a
 * 13-second (or 13-minute) clone of production wastes the most expensive step. Paths are hostile input: a FIFO would
 * hang the read, {@code /dev/zero} would fill the heap, so only regular files of a bounded size pass.
 */
final class InputPaths {

  private InputPaths() {
  }

  /**
   * A regular file (a symlink to one is fine) of at most {@code maxBytes}, as {@link InputFiles} checks every file a
   * person names, and readable by this process now rather than when the clone is made.
   */
  static void requireReadableFile(Path file, String what, long maxBytes) {
    InputFiles.requireRegularFile(file, what, maxBytes);
    if (!Files.isReadable(file)) {
      throw ReleaseException.badInput("the " + what + " " + file + " is not readable; check its permissions");
    }
  }

  /**
   * A directory that exists, or that can be created: its nearest existing ancestor is a writable directory. Nothing
   * is created here, so a run refused later leaves no empty directory behind.
   */
  static void requireWritableDirectory(Path dir, String what) {
    Path absolute = dir.toAbsolutePath().normalize();
    Path existing = absolute;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null || !Files.isDirectory(existing)) {
      throw ReleaseException.badInput(what + " " + dir + " cannot be a directory: " + existing
          + " is a file; choose another path");
    }
    if (!Files.isWritable(existing)) {
      throw ReleaseException.badInput(what + " " + dir + " is not writable (" + existing + " refuses writes); check"
          + " its permissions or choose another path");
    }
  }

  /** An existing directory, e.g. a migration location or where the client tools are. */
  static void requireDirectory(Path dir, String what) {
    if (!Files.isDirectory(dir)) {
      throw ReleaseException.badInput(what + " " + dir + " is not a directory; check the path");
    }
  }
}
