package io.odoogitops.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write them in YAML: ISO-8601 ({@code PT2H}, {@code P1D}) or the short form operators type
 * ({@code 2h}, {@code 90m}, {@code 1h30m}, {@code 1d}).
 */
public final class HumanDuration {

  private static final Pattern SHORT = Pattern.compile(
      "(?:(\\d{1,5})d)?(?:(\\d{1,6})h)?(?:(\\d{1,7})m)?(?:(\\d{1,9})s)?");

  private HumanDuration() {}

  /** Parses {@code text}; throws {@link IllegalArgumentException} saying what is accepted. */
  public static Duration parse(String text) {
    String t = text == null ? "" : text.trim();
    if (t.isEmpty()) {
      throw new IllegalArgumentException("is empty; write an ISO-8601 duration such as PT2H or a short one such as"
          + " 2h, 90m or 1d");
    }
    if (t.toUpperCase(Locale.ROOT).replaceFirst("^[-+]", "").startsWith("P")) {
      try {
        return Duration.parse(t.toUpperCase(Locale.ROOT));
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("'" + text + "' is not an ISO-8601 duration; write e.g. PT2H, PT30M or"
            + " P1D");
      }
    }
    Matcher m = SHORT.matcher(t.toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not a duration; write e.g. 2h, 90m, 1h30m, 1d or PT2H");
    }
    return Duration.ofDays(number(m.group(1))).plusHours(number(m.group(2))).plusMinutes(number(m.group(3)))
        .plusSeconds(number(m.group(4)));
  }

  private static long number(String group) {
    return group == null ? 0 : Long.parseLong(group);
  }
}
