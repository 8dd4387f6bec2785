package io.odoogitops.odoo.log;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One record of Odoo's log as {@code odoo/netsvc.py} formats it (16.0 to 18.0):
 * {@code %(asctime)s %(pid)s %(levelname)s %(dbname)s %(name)s: %(message)s %(perf_info)s}, e.g.
 * {@code 2026-11-23 10:00:00,123 42 INFO clone odoo.modules.loading: Module sale loaded in 0.52s, 310 queries}.
 *
 * @param timestamp as printed (the server's local time, without zone: not comparable with this machine's clock)
 * @param database {@code ?} when the record is not bound to a database
 */
public record OdooLogLine(String timestamp, long pid, String level, String database, String logger, String message) {

  private static final Pattern FORMAT = Pattern.compile(
      "^(\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2},\\d{3}) (\\d+) ([A-Z]+) (\\S+) ([^:\\s]+): ?(.*)$");

  /** The parsed record, or empty for lines that are not records (traceback lines, other tools' output). */
  public static Optional<OdooLogLine> parse(String line) {
    if (line == null) {
      return Optional.empty();
    }
    Matcher m = FORMAT.matcher(line);
    if (!m.matches()) {
      return Optional.empty();
    }
    // perf_info (query count and times of HTTP requests) is empty outside requests and leaves a trailing space
    return Optional.of(new OdooLogLine(m.group(1), Long.parseLong(m.group(2)), m.group(3), m.group(4), m.group(5),
        m.group(6).strip()));
  }

  /** ERROR and CRITICAL: a module's data or migration step failed even when Odoo exits 0. */
  public boolean failing() {
    return "ERROR".equals(level) || "CRITICAL".equals(level);
  }
}
