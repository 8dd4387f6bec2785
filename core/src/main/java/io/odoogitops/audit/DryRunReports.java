package io.odoogitops.audit;

import io.odoogitops.InputFiles;
import io.odoogitops.ReleaseException;
import io.odoogitops.dryrun.report.JsonReport;
import io.odoogitops.policy.DryRunEvidence;
import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Dry-run reports the auditor can reach, found by the SHA-256 a {@code Dry-Run} trailer names: every {@code *.json}
 * regular file under a directory (symlinks are not followed, depth and count are bounded). A report found is parsed
 * by the gate's own reader ({@link JsonReport#evidence}), from the very bytes that were hashed.
 */
public final class DryRunReports {

  static final int MAX_FILES = 10_000;
  static final int MAX_DEPTH = 6;

  private final Path directory;
  private final Map<String, Path> bySha;

  private DryRunReports(Path directory, Map<String, Path> bySha) {
    this.directory = directory;
    this.bySha = bySha;
  }

  /** No report is reachable: the audit can only read the trailer. */
  public static DryRunReports none() {
    return new DryRunReports(null, Map.of());
  }

  /** Indexes the reports under {@code directory}; bad input (exit 2) if it is not a directory or holds too many. */
  public static DryRunReports under(Path directory) {
    if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
      throw ReleaseException.badInput("--reports " + directory + " is not a directory; pass the directory holding"
          + " the dry-run.json files (one per dry-run, e.g. the archived CI artifacts)");
    }
    Map<String, Path> bySha = new TreeMap<>();
    try (Stream<Path> files = Files.walk(directory, MAX_DEPTH)) {
      var candidates = files.filter(p -> p.getFileName().toString().endsWith(".json"))
          .filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).sorted().limit(MAX_FILES + 1L).toList();
      if (candidates.size() > MAX_FILES) {
        throw ReleaseException.badInput("--reports " + directory + " holds more than " + MAX_FILES + " .json files;"
            + " pass the directory of the audited period only");
      }
      for (Path file : candidates) {
        byte[] bytes = InputFiles.read(file, "dry-run report", InputFiles.LARGE_LIMIT);
        bySha.putIfAbsent("sha256:" + JsonReport.sha256(bytes), file);
      }
    } catch (IOException e) {
      throw ReleaseException.badInput("cannot read --reports " + directory + ": " + e.getMessage()
          + "; check the directory's permissions");
    }
    return new DryRunReports(directory, bySha);
  }

  public boolean reachable() {
    return directory != null;
  }

  /**
   * The report whose bytes hash to {@code sha256}, parsed; empty if none is reachable. A file that changed since it
   * was indexed is refused by the digest check of the caller, since the evidence carries the hash of what was read.
   */
  public Optional<Found> find(String sha256) {
    Path file = bySha.get(sha256);
    if (file == null) {
      return Optional.empty();
    }
    return Optional.of(new Found(directory.relativize(file).toString(), JsonReport.evidence(file)));
  }

  /** A report found by its hash, named relative to the reports directory. */
  public record Found(String name, DryRunEvidence evidence) {}
}
