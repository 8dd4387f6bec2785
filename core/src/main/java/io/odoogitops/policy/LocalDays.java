package io.odoogitops.policy;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/** Where whole local days begin, the unit of billing presets. */
final class LocalDays {

  private LocalDays() {}

  /**
   * The first instant of {@code day} in {@code zone}. Not always 00:00: where a DST change skips midnight (as in
   * America/Santiago or formerly America/Sao_Paulo) the day starts at 01:00, which {@code atStartOfDay} knows.
   */
  static Instant start(LocalDate day, ZoneId zone) {
    return day.atStartOfDay(zone).toInstant();
  }
}
