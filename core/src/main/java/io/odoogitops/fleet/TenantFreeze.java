package io.odoogitops.fleet;

import io.odoogitops.policy.Action;
import io.odoogitops.policy.FreezeInterval;
import io.odoogitops.policy.FreezeSchedule;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Whether a tenant is frozen for promotions at one instant, and when it opens. Unlike {@link FreezeSchedule#status},
 * it does not look 400 days ahead for the next freeze of an open tenant: fleet commands never show that, and over a
 * thousand tenants it would dominate their time.
 *
 * @param windows names of the windows blocking promotions at the instant; empty when open
 * @param opens the instant itself when open, else the end of the freeze; empty if closed for more than two years
 */
record TenantFreeze(List<String> windows, Optional<Instant> opens) {

  static TenantFreeze of(FreezeSchedule schedule, Instant at) {
    List<String> blocking = schedule.windows(at, at.plusNanos(1)).stream().filter(w -> w.blocks(Action.PROMOTE))
        .map(FreezeInterval::window).distinct().toList();
    return new TenantFreeze(blocking, blocking.isEmpty() ? Optional.of(at) : schedule.nextOpen(at, Action.PROMOTE));
  }

  boolean frozen() {
    return !windows.isEmpty();
  }
}
