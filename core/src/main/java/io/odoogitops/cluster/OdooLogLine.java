package io.odoogitops.cluster;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A line of Odoo's server log: {@code 2026-11-23 10:00:00,123 42 ERROR clone odoo.modules.loading: message}. An
 * upgrade that exits 0 can still have failed a module's data or migration step; Odoo only logs it at ERROR or
 * CRITICAL, so those lines fail the run.
 */
record OdooLogLine(String level, String logger, String message) {

  private static final Pattern FORMAT = Pattern.compile(
      "^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2},\\d{3} \\d+ ([A-Z]+) (\\S+) ([^:\\s]+): ?(.*)$");
  private static final Set<String> FAILING_LEVELS = Set.of("ERROR", "CRITICAL");

  /** The parsed line, or empty for lines that are not log records (tracebacks, output of other tools). */
  static Optional<OdooLogLine> parse(String line) {
    Matcher m = FORMAT.matcher(line);
    return m.matches() ? Optional.of(new OdooLogLine(m.group(1), m.group(3), m.group(4))) : Optional.empty();
  }

  boolean failing() {
    return FAILING_LEVELS.contains(level);
  }
}
