package io.odoogitops.policy;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Whether an environment is frozen at one instant.
 *
 * @param active the freeze intervals containing {@code at}; empty when open
 * @param openAt when promotions are next possible: {@code at} itself when open, empty when no open moment exists
 *     within the search horizon
 * @param nextFreeze when open, the next interval that will block promotions, if any within the horizon
 */
public record FreezeStatus(String environment, Instant at, List<FreezeInterval> active, Optional<Instant> openAt,
    Optional<FreezeInterval> nextFreeze) {

  public FreezeStatus {
    active = List.copyOf(active);
  }

  public boolean frozen() {
    return !active.isEmpty();
  }

  /** Whether {@code action} is refused now: some active window does not allow it. */
  public boolean blocks(Action action) {
    return active.stream().anyMatch(i -> i.blocks(action));
  }

  /** The active intervals that refuse {@code action}. */
  public List<FreezeInterval> blocking(Action action) {
    return active.stream().filter(i -> i.blocks(action)).toList();
  }
}
