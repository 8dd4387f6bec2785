package io.odoogitops.fleet;

import io.odoogitops.ImageDigest;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Set;

/**
 * The rollout of one digest across a fleet as it would happen from one instant on: waves in order, each tenant's
 * state and gate requirements, and the planned times. Times of a tenant are in its own zone, times of waves and of the
 * whole plan in the file's.
 *
 * @param at when the plan was made
 * @param source {@code repository} when the rollout's state (promotions, verifications, halts, holds, votes) was read
 *     from the GitOps repository the way {@code fleet status} and {@code fleet promote} read it; {@code configuration}
 *     when only a configuration file was read
 * @param notRead what the plan could not take into account, for people: empty when everything was read
 * @param halt the halt in force: nothing is promoted until {@code fleet resume}, and the schedule assumes a resume at
 *     the plan's instant; null when none (or not read)
 * @param finish when the last wave has been promoted, verified and soaked; null when some tenant has no open moment
 *     within the freeze search horizon (two years), so no finish can be estimated
 * @param unplanned tenants that could not be given a start, and why
 */
public record FleetPlan(String fleet, String application, ImageDigest digest, ZonedDateTime at, String source,
    List<String> notRead, FleetState.Halt halt, Duration tenantTime, List<WavePlan> waves, ZonedDateTime finish,
    List<String> unplanned) {

  /** {@link #source} when the rollout's state was read from the repository. */
  public static final String REPOSITORY = "repository";
  /** {@link #source} when only the configuration was read. */
  public static final String CONFIGURATION = "configuration";

  public FleetPlan {
    notRead = List.copyOf(notRead);
    waves = List.copyOf(waves);
    unplanned = List.copyOf(unplanned);
  }

  /**
   * One wave of the plan.
   *
   * @param start when the wave may start: the plan's instant for the canary, else the previous wave's end plus its
   *     soak (never before the plan's instant); null when an earlier wave has no end
   * @param end when its last tenant is (or is planned to be) promoted and verified: the last verification for a wave
   *     that is done; its start when nothing is left to do and nothing was verified; null when a tenant of it cannot
   *     be planned
   * @param soakEnds when its soak is over and the next wave may start: its end plus its soak; null with no end
   * @param rules gate rules required in this wave (freeze windows, holds and restore points always apply)
   */
  public record WavePlan(int index, String name, boolean canary, int maxParallel, Duration soak, Set<String> rules,
      ZonedDateTime start, ZonedDateTime end, ZonedDateTime soakEnds, List<TenantPlan> tenants) {

    public WavePlan {
      rules = Set.copyOf(rules);
      tenants = List.copyOf(tenants);
    }
  }

  /**
   * One tenant of the plan.
   *
   * @param zone the tenant's zone, in which its times are given
   * @param state at the plan's instant: {@code open} or {@code frozen} (nothing to do with the digest yet), or, from
   *     the repository, what {@code fleet status} says ({@code promoted} = runs it, verification to come,
   *     {@code verified}, {@code soaking}, {@code failed}, {@code rolled back}, {@code superseded},
   *     {@code changed outside}); {@code promoted} also for tenants given as running the digest
   * @param clustered whether it has a {@code cluster:} block: then its promotion is verified in the cluster, in one of
   *     the wave's {@code maxParallel} slots; without one it lands with the wave's first push and counts as verified
   * @param frozenBy the freeze windows blocking promotions at the plan's instant
   * @param opensAt when promotions to the tenant are next possible from the plan's instant on (the instant itself
   *     when open); null when closed for longer than two years
   * @param verifiedAt when its promotion was verified (landed, without a cluster), for a tenant that is done; else
   *     null
   * @param failure why it failed, for {@code failed} and {@code changed outside}; else null
   * @param approvals the approvals its gate requires and those given; null when its gate requires none
   * @param dryRun its dry-run report: {@code PASS}, {@code WARN}, {@code FAIL}, or {@code missing} (none, or one of
   *     another digest); null when no reports were given
   * @param restorePoint {@code present}, {@code missing} or {@code not required}, as its gate's restore-point rule
   *     judges the evidence given
   * @param hold the hold on the digest in this tenant, or null
   * @param needs what the tenant's gate still requires before the rollout may promote it, besides an open window:
   *     each failed rule with its reason (approvals, dry-run evidence, an upstream environment first, a hold, a
   *     restore point)
   * @param start planned start of its promotion (of its verification, for {@code promoted}): the first open moment
   *     once the wave has started and, with a cluster, a slot of the wave is free; null when done or unplannable
   * @param end planned end of its promotion and verification; null when done or unplannable
   */
  public record TenantPlan(String tenant, String zone, String state, boolean clustered, List<String> frozenBy,
      ZonedDateTime opensAt, ZonedDateTime verifiedAt, String failure, Approvals approvals, String dryRun,
      String restorePoint, FleetState.TenantHold hold, List<String> needs, ZonedDateTime start, ZonedDateTime end) {

    public TenantPlan {
      frozenBy = List.copyOf(frozenBy);
      needs = List.copyOf(needs);
    }

    public boolean promoted() {
      return "promoted".equals(state);
    }

    TenantPlan scheduled(ZonedDateTime newStart, ZonedDateTime newEnd) {
      return new TenantPlan(tenant, zone, state, clustered, frozenBy, opensAt, verifiedAt, failure, approvals, dryRun,
          restorePoint, hold, needs, newStart, newEnd);
    }
  }

  /**
   * A tenant's approvals.
   *
   * @param required how many its gate requires
   * @param given how many count now; null when votes were not read (a plan from a configuration file)
   * @param by who gave the counted ones
   */
  public record Approvals(int required, Integer given, List<String> by) {

    public Approvals {
      by = List.copyOf(by);
    }
  }
}
