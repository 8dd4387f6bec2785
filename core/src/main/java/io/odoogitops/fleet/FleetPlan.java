package io.odoogitops.fleet;

import io.odoogitops.ImageDigest;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Set;

/**
 * The rollout of one digest across a fleet as it would happen from one instant on: waves in order, each tenant's
 * freeze state and gate requirements, and the planned times. Times of a tenant are in its own zone, times of waves
 * and of the whole plan in the file's.
 *
 * @param at when the plan was made
 * @param finish when the last wave has been promoted, verified and soaked; null when some tenant has no open moment
 *     within the freeze search horizon (two years), so no finish can be estimated
 * @param unplanned tenants that could not be given a start, and why
 */
public record FleetPlan(String fleet, String application, ImageDigest digest, ZonedDateTime at, Duration tenantTime,
    List<WavePlan> waves, ZonedDateTime finish, List<String> unplanned) {

  public FleetPlan {
    waves = List.copyOf(waves);
    unplanned = List.copyOf(unplanned);
  }

  /**
   * One wave of the plan.
   *
   * @param start when the wave may start: the plan's instant for the canary, else the previous wave's end plus its
   *     soak; null when an earlier wave has no end
   * @param end when its last tenant is planned to be promoted and verified; its start when nothing is left to do;
   *     null when a tenant of it cannot be planned
   * @param rules gate rules required in this wave (freeze windows always apply)
   */
  public record WavePlan(int index, String name, boolean canary, int maxParallel, Duration soak, Set<String> rules,
      ZonedDateTime start, ZonedDateTime end, List<TenantPlan> tenants) {

    public WavePlan {
      rules = Set.copyOf(rules);
      tenants = List.copyOf(tenants);
    }
  }

  /**
   * One tenant of the plan.
   *
   * @param zone the tenant's zone, in which its times are given
   * @param state {@code promoted} (runs the digest already), {@code open} or {@code frozen} at the plan's instant
   * @param frozenBy the freeze windows blocking promotions at the plan's instant
   * @param opensAt when promotions to the tenant are next possible from the plan's instant on (the instant itself
   *     when open); null when closed for longer than two years
   * @param needs what the tenant's gate still requires in this wave besides an open window: each failed rule with
   *     its reason (approvals, dry-run evidence, an upstream environment first)
   * @param start planned start of its promotion: the first open moment once a slot of the wave is free
   * @param end planned end of its promotion and verification
   */
  public record TenantPlan(String tenant, String zone, String state, List<String> frozenBy, ZonedDateTime opensAt,
      List<String> needs, ZonedDateTime start, ZonedDateTime end) {

    public TenantPlan {
      frozenBy = List.copyOf(frozenBy);
      needs = List.copyOf(needs);
    }

    public boolean promoted() {
      return "promoted".equals(state);
    }
  }
}
