package io.odoogitops.cli;

import io.odoogitops.InputFiles;
import io.odoogitops.ReleaseException;
import io.odoogitops.config.ConfigLoader;
import io.odoogitops.config.ReleaseConfig;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import io.odoogitops.gitops.GitOpsRepository;
import io.odoogitops.gitops.ReleaseQueries;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Where the policy commands read {@code odoo-gitops.yaml}: the GitOps repository's branch head when {@code --repo} (or
 * {@code ODOO_GITOPS_REPO}) is given — the reviewed source of truth — otherwise a local file, e.g. a change under
 * review. Also how they read points in time: an instant with offset, or a local date(-time) in the configuration's
 * zone, which is how people think of freeze windows.
 */
public final class PolicyConfigOption {

  @Option(names = "--config", paramLabel = "FILE",
      description = "A local odoo-gitops.yaml to read instead of the repository's (default without --repo: ./"
          + ReleaseConfig.FILE_NAME + ").")
  Path file;

  @Mixin RepositoryOptions repository;

  /** Whether the configuration comes from the GitOps repository rather than a local file. */
  boolean fromRepository() {
    return file == null && repository.configured();
  }

  ReleaseConfig load() {
    if (fromRepository()) {
      try (GitOpsRepository repo = repository.open()) {
        return ReleaseQueries.of(repo).config();
      }
    }
    Path path = file != null ? file : Path.of(ReleaseConfig.FILE_NAME);
    return ConfigLoader.load(read(path, "configuration"), path.toString());
  }

  /**
   * Files the local configuration names (an allowedSigners file), relative to its directory as they would be to the
   * repository root. Links are not followed, as in the repository.
   */
  io.odoogitops.policy.RepositoryFiles localFiles() {
    Path config = file != null ? file : Path.of(ReleaseConfig.FILE_NAME);
    Path root = config.toAbsolutePath().getParent();
    return relative -> {
      Path target = root.resolve(relative).normalize();
      if (!target.startsWith(root) || !java.nio.file.Files.isRegularFile(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        return java.util.Optional.empty();
      }
      return java.util.Optional.of(read(target, "allowed signers"));
    };
  }

  /** Reads a file given on the command line; a missing or unreadable file is bad input. */
  static byte[] read(Path path, String what) {
    return InputFiles.read(path, what + " file", ConfigLoader.MAX_BYTES);
  }

  /**
   * Parses {@code 2026-12-24T10:00:00Z}, {@code 2026-12-24T11:00+01:00}, {@code 2026-12-24T11:00} or
   * {@code 2026-12-24} (the last two in {@code zone}); {@code null} means {@code now}.
   */
  static Instant instant(String text, String option, ZoneId zone, Instant now) {
    if (text == null) {
      return now;
    }
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeException notOffset) {
      try {
        return LocalDateTime.parse(text).atZone(zone).toInstant();
      } catch (DateTimeException notLocal) {
        try {
          return LocalDate.parse(text).atStartOfDay(zone).toInstant();
        } catch (DateTimeException notDate) {
          throw ReleaseException.badInput(option + " '" + text + "' is not a point in time; write"
              + " 2026-12-24T10:00:00Z, 2026-12-24T11:00 or 2026-12-24 (local times in " + zone + ")");
        }
      }
    }
  }
}
