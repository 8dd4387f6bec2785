package io.odoogitops.policy;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;

/**
 * Places wall-clock times of freeze windows on the time line. Windows are written in local time ("the 15th from
 * 00:00", "06:00-16:00"), so a local time maps to the first instant whose wall clock reads that time or later:
 * <ul>
 *   <li>in a DST gap (02:30 on a spring-forward night in Brussels) that is the end of the gap, 03:00, so a window
 *       02:30-03:30 shrinks to 03:00-03:30 instead of vanishing or moving to 03:30-03:30;</li>
 *   <li>in an overlap (02:30 on a fall-back night) it is the first 02:30, so a window over the repeated hour lasts
 *       one hour longer.</li>
 * </ul>
 */
final class WallClock {

  private WallClock() {}

  static Instant instant(LocalDateTime local, ZoneId zone) {
    ZoneOffsetTransition transition = zone.getRules().getTransition(local);
    if (transition != null && transition.isGap()) {
      return transition.getInstant();
    }
    return local.atZone(zone).toInstant();
  }

  /** The first instant of {@code day}; not always 00:00 where a DST change skips midnight (America/Santiago). */
  static Instant start(LocalDate day, ZoneId zone) {
    return day.atStartOfDay(zone).toInstant();
  }
}
