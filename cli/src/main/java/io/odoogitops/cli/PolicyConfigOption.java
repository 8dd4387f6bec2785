package io.odoogitops.cli;

import io.odoogitops.ReleaseException;
import io.odoogitops.config.ConfigLoader;
import io.odoogitops.config.ReleaseConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import picocli.CommandLine.Option;

/**
 * {@code --config FILE} for the policy commands, and how they read points in time: an instant with offset, or a local
 * date(-time) in the configuration's zone, which is how people think of freeze windows.
 */
public final class PolicyConfigOption {

  @Option(names = "--config", paramLabel = "FILE", defaultValue = ReleaseConfig.FILE_NAME,
      description = "The odoo-gitops.yaml to read (default: ./${DEFAULT-VALUE}).")
  Path file = Path.of(ReleaseConfig.FILE_NAME);

  ReleaseConfig load() {
    return ConfigLoader.load(read(file, "configuration"), file.toString());
  }

  /** Reads a file given on the command line; a missing or unreadable file is bad input. */
  static byte[] read(Path path, String what) {
    try {
      return Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      throw ReleaseException.badInput("the " + what + " file " + path + " does not exist; check the path");
    } catch (IOException e) {
      throw ReleaseException.badInput("cannot read the " + what + " file " + path + " ("
          + e.getClass().getSimpleName() + "); check the path and its permissions");
    }
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
