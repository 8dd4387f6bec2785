package io.odoogitops.policy;

import java.time.Instant;
import java.util.Set;

/**
 * One occurrence of a freeze window: promotions are refused from {@code start} (inclusive) to {@code end}
 * (exclusive), except for the {@code allowed} actions.
 *
 * @param window the name of the window it comes from
 */
public record FreezeInterval(String window, Instant start, Instant end, Set<Action> allowed) {

  public FreezeInterval {
    if (!start.isBefore(end)) {
      throw new IllegalArgumentException("freeze interval of '" + window + "' ends (" + end + ") before it starts ("
          + start + ")");
    }
    allowed = Set.copyOf(allowed);
  }

  public boolean contains(Instant at) {
    return !at.isBefore(start) && at.isBefore(end);
  }

  /** Whether it shares a moment with {@code [from, to)}. */
  public boolean overlaps(Instant from, Instant to) {
    return start.isBefore(to) && end.isAfter(from);
  }

  public boolean blocks(Action action) {
    return !allowed.contains(action);
  }
}
