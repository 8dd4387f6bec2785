package io.odoogitops.dryrun.setup;

import io.odoogitops.ReleaseException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people type them in flags and Jenkinsfiles: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h},
 * {@code 1d} or ISO-8601 ({@code PT5M}). One grammar for the CLI and the plugin, so a value that works in one works in
 * the other.
 */
public final class DurationText {

  private static final Pattern SHORT = Pattern.compile("(\\d{1,12})(ms|s|m|h|d)");

  private DurationText() {
  }

  /**
   * @param what how to name the value in the error, e.g. {@code maxDuration}; {@code null} when the caller says it
   * @throws ReleaseException bad input when {@code text} is no duration or a negative one
   */
  public static Duration parse(String text, String what) {
    String value = text == null ? "" : text.trim();
    Matcher m = SHORT.matcher(value);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }
    try {
      Duration parsed = Duration.parse(value);
      if (!parsed.isNegative()) {
        return parsed;
      }
    } catch (DateTimeParseException e) {
      // reported below with the grammar
    }
    throw ReleaseException.badInput((what == null ? "" : what + " ") + "'" + text + "' is not a duration like 30s, 5m,"
        + " 2h or PT5M");
  }
}
