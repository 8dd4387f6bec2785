package io.odoogitops.policy;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A rule that produces freeze intervals: a billing-cycle preset, a recurrence rule, a one-off range or the complement
 * of allowed slots. Implementations work in local time of their zone and place it on the time line with
 * {@link WallClock}, which is where DST gaps and overlaps are resolved.
 */
public interface FreezeWindow {

  /** Shown in status output and in the {@code Freeze-Override} trailer. */
  String name();

  /** Actions still allowed while this window is active. */
  Set<Action> allowed();

  /**
   * Every interval of this window that overlaps {@code [from, to)}, whole (not clipped to the range), ordered by
   * start.
   */
  List<FreezeInterval> between(Instant from, Instant to);
}
