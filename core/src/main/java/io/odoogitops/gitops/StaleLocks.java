package io.odoogitops.gitops;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;

/**
 * Removes the {@code *.lock} files a killed process left in the cache clone. Git and JGit take their locks by creating
 * {@code name.lock} and renaming it into place; a process killed in between (kill -9, an OOM kill, a lost agent)
 * leaves the file, and then every later fetch fails to lock that ref, or garbage collection never runs again
 * ({@code gc.log.lock}).
 *
 * <p>Safe only under the cache's own lock: every odoo-gitops process touches the clone while holding it, so no lock
 * file is held by one of them. The age threshold covers what that lock cannot see (someone running git by hand in
 * the cache).
 */
final class StaleLocks {

  static final Duration DEFAULT_AGE = Duration.ofMinutes(2);

  private StaleLocks() {}

  /** Deletes lock files under {@code gitDir} last modified before {@code now - age}; returns how many. */
  static int clean(Path gitDir, Duration age, Instant now) {
    if (!Files.isDirectory(gitDir)) {
      return 0;
    }
    Instant cutoff = now.minus(age);
    int[] removed = {0};
    try {
      Files.walkFileTree(gitDir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          // Links are not followed and not touched: only regular files git itself would have created.
          if (attrs.isRegularFile() && file.getFileName().toString().endsWith(".lock")
              && attrs.lastModifiedTime().toInstant().isBefore(cutoff)) {
            try {
              Files.deleteIfExists(file);
              removed[0]++;
            } catch (IOException e) {
              // Left for the next run; the operation that needs it reports the lock clearly.
            }
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) {
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      // Cleaning is best effort; the cache still works where no stale lock is in the way.
    }
    return removed[0];
  }
}
