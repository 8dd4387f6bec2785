package io.odoogitops.policy;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;

/** A one-off range such as the year-end holidays, written in local time of its zone. */
record FixedWindow(String name, LocalDateTime from, LocalDateTime to, ZoneId zone, Set<Action> allowed)
    implements FreezeWindow {

  @Override
  public List<FreezeInterval> between(Instant rangeStart, Instant rangeEnd) {
    Instant start = WallClock.instant(from, zone);
    Instant end = WallClock.instant(to, zone);
    // Both ends inside one DST gap collapse to the same instant: nothing is frozen.
    if (!start.isBefore(end) || !start.isBefore(rangeEnd) || !end.isAfter(rangeStart)) {
      return List.of();
    }
    return List.of(new FreezeInterval(name, start, end, allowed));
  }
}
