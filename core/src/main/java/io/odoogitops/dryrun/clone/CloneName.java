package io.odoogitops.dryrun.clone;

import io.odoogitops.ReleaseException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The name of a staging clone: {@code <prefix>_<runId>_<yyyyMMddHHmmss>} in UTC. A person spotting it in
 * {@code \l} knows what it is and which run made it; a later run reads the time back to sweep clones left by crashed
 * runs. Always a valid unquoted PostgreSQL identifier under 63 bytes.
 */
public record CloneName(String prefix, String runId, Instant createdAt) {

  public static final String DEFAULT_PREFIX = "odoo_gitops_dryrun";

  private static final Pattern PREFIX = Pattern.compile("[a-z][a-z0-9_]{0,29}");
  private static final Pattern RUN_ID = Pattern.compile("[a-z0-9]{1,16}");
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

  public CloneName {
    if (!PREFIX.matcher(prefix).matches()) {
      throw ReleaseException.badInput("clone prefix '" + prefix + "' must be lower-case letters, digits and"
          + " underscores, start with a letter and be at most 30 characters");
    }
    if (!RUN_ID.matcher(runId).matches()) {
      throw ReleaseException.badInput("run id '" + runId + "' must be 1-16 lower-case letters or digits");
    }
    createdAt = createdAt.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
  }

  @Override
  public String toString() {
    return prefix + "_" + runId + "_" + STAMP.format(LocalDateTime.ofInstant(createdAt, ZoneOffset.UTC));
  }

  /** Reads a name back; empty when {@code name} is not a clone of this prefix (never touch what is not ours). */
  public static Optional<CloneName> parse(String prefix, String name) {
    Matcher m = Pattern.compile(Pattern.quote(prefix) + "_([a-z0-9]{1,16})_(\\d{14})").matcher(name);
    if (!m.matches()) {
      return Optional.empty();
    }
    try {
      Instant created = LocalDateTime.parse(m.group(2), STAMP).toInstant(ZoneOffset.UTC);
      return Optional.of(new CloneName(prefix, m.group(1), created));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
