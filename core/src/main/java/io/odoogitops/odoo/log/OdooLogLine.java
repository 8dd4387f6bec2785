package io.odoogitops.odoo.log;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One record of Odoo's server log, as {@code odoo/netsvc.py} formats it:
 * {@code %(asctime)s %(pid)s %(levelname)s %(dbname)s %(name)s: %(message)s %(perf_info)s}, e.g.
 * {@code 2026-11-23 10:00:00,123 42 INFO clone odoo.modules.loading: loading 112 modules...}.
 *
 * <p>What the parser tolerates, and why: the colour escape codes Odoo adds around the level (and the perf info) when
 * its standard error is a terminal, which a container started with a TTY keeps; the {@code ?} Odoo prints as the
 * database outside a database thread; Odoo's level 25 (the "runbot" level of the modules-loaded summary), which it
 * registers under the name {@code INFO} but which prints as {@code Level 25} when logged before the logger is set up;
 * the empty perf info's trailing space of 16.0 and later; and an optional {@code uid:<n>} field some builds insert
 * after the level.
 *
 * @param timestamp the time as Odoo printed it ({@code yyyy-MM-dd HH:mm:ss,SSS}, Odoo's local time, no zone): kept
 *     as text because the zone is unknown; callers time the lines by when they received them
 * @param pid the process id of the Odoo worker that logged it
 * @param level {@code DEBUG}, {@code INFO}, {@code WARNING}, {@code ERROR}, {@code CRITICAL}, or what else was
 *     printed ({@code Level 25})
 * @param database the database of the logging thread, {@code ?} for none
 * @param logger the Python logger, e.g. {@code odoo.modules.loading}
 * @param message the message's first line, without the trailing perf info padding
 */
public record OdooLogLine(String timestamp, long pid, String level, String database, String logger, String message) {

  /**
   * How much of a raw line is examined. The record's header is a few dozen characters and every message this
   * package understands is short; a megabyte-long line (a dumped record, a huge SQL statement) must not cost a
   * regular-expression pass over all of it.
   */
  static final int PARSED_PREFIX_CHARS = 16_384;

  private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;?]*[A-Za-z]");
  private static final Pattern FORMAT = Pattern.compile(
      "(\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2},\\d{3}) (\\d{1,10}) ([A-Z]+|Level \\d{1,3}) (?:uid:\\S+ )?"
          + "(\\S+) ([^\\s:]+(?::[^\\s:]+)*): ?(.*)", Pattern.DOTALL);

  public OdooLogLine {
    Objects.requireNonNull(timestamp, "timestamp");
    Objects.requireNonNull(level, "level");
    Objects.requireNonNull(database, "database");
    Objects.requireNonNull(logger, "logger");
    Objects.requireNonNull(message, "message");
  }

  /**
   * The record of {@code line}, or empty for lines that are not Odoo log records: traceback lines, continuation lines
   * of multi-line messages, {@code print()} output of migration scripts, the output of other tools.
   */
  public static Optional<OdooLogLine> parse(String line) {
    if (line == null || line.length() < 24) {
      return Optional.empty();
    }
    String text = withoutColours(line.length() > PARSED_PREFIX_CHARS ? line.substring(0, PARSED_PREFIX_CHARS) : line);
    Matcher m = FORMAT.matcher(text);
    if (!m.matches()) {
      return Optional.empty();
    }
    long pid;
    try {
      pid = Long.parseLong(m.group(2));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    return Optional.of(new OdooLogLine(m.group(1), pid, m.group(3), m.group(4), m.group(5),
        m.group(6).strip()));
  }

  /** {@code line} without terminal escape sequences and without a trailing carriage return. */
  static String withoutColours(String line) {
    String text = line.indexOf('\u001B') < 0 ? line : ANSI.matcher(line).replaceAll("");
    int end = text.length();
    while (end > 0 && (text.charAt(end - 1) == '\r' || text.charAt(end - 1) == '\n')) {
      end--;
    }
    return end == text.length() ? text : text.substring(0, end);
  }

  /** Odoo logs a failed module step (data file, migration script, registry) at ERROR or CRITICAL, even on exit 0. */
  public boolean failing() {
    return "ERROR".equals(level) || "CRITICAL".equals(level);
  }
}
