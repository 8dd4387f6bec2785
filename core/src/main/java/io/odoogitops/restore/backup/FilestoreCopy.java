package io.odoogitops.restore.backup;

import io.odoogitops.ReleaseException;
import io.odoogitops.restore.RestorePoint;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * The filestore copied to {@code <to>/<id>/}, under a temporary name until complete. Odoo's filestore holds only
 * directories and regular files; a link or a device in it is refused rather than followed, so a planted link cannot
 * copy a file from elsewhere into the restore point.
 */
final class FilestoreCopy {

  private FilestoreCopy() {}

  static RestorePoint.FilestorePart copy(Path from, Path to, String id, Pattern leftovers, Instant now) {
    BasicFileAttributes source;
    try {
      source = Files.readAttributes(from, BasicFileAttributes.class);
    } catch (IOException e) {
      throw ReleaseException.badInput("the filestore directory " + from + " cannot be read ("
          + e.getClass().getSimpleName() + "); check restore.filestore.copy.from");
    }
    if (!source.isDirectory()) {
      throw ReleaseException.badInput("the filestore " + from + " is not a directory; check"
          + " restore.filestore.copy.from");
    }
    PartialDirectory.sweep(to, leftovers, java.time.Duration.ofDays(1), now);
    long[] counts = new long[2];
    try (PartialDirectory partial = PartialDirectory.create(to, id, "the filestore copy location")) {
      Files.walkFileTree(from, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
          if (!dir.equals(from)) {
            Files.createDirectory(partial.path().resolve(from.relativize(dir).toString()));
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          if (!attrs.isRegularFile()) {
            throw ReleaseException.badInput("the filestore holds " + from.relativize(file) + ", which is "
                + (attrs.isSymbolicLink() ? "a symbolic link" : "not a regular file") + "; Odoo writes only files and"
                + " directories there: remove it, then take the restore point again");
          }
          Files.copy(file, partial.path().resolve(from.relativize(file).toString()),
              StandardCopyOption.COPY_ATTRIBUTES);
          counts[0]++;
          counts[1] += attrs.size();
          return FileVisitResult.CONTINUE;
        }
      });
      Path done = partial.commit();
      return new RestorePoint.FilestorePart(RestorePoint.FilestorePart.COPY, done.toAbsolutePath().toString(), null,
          from.toAbsolutePath().toString(), null, now, counts[0], counts[1]);
    } catch (IOException e) {
      throw ReleaseException.infrastructure("cannot copy the filestore " + from + " to " + to + " ("
          + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())
          + "); nothing was kept under the final name", e);
    }
  }
}
