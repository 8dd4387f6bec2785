package io.odoogitops.fleet;

import io.odoogitops.ImageDigest;
import io.odoogitops.ImageRef;
import io.odoogitops.config.ReleaseConfig;
import io.odoogitops.gitops.Trailers;
import io.odoogitops.policy.Action;
import io.odoogitops.policy.Candidate;
import io.odoogitops.policy.Decision;
import io.odoogitops.policy.DryRunEvidence;
import io.odoogitops.policy.FreezeSchedule;
import io.odoogitops.policy.GateRequest;
import io.odoogitops.policy.Outcome;
import io.odoogitops.policy.ReleasePolicy;
import io.odoogitops.policy.RuleResult;
import io.odoogitops.policy.Trailer;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.Function;

/**
 * Plans a fleet rollout: a pure function of the fleet, its policy, the digest, the instant and what is {@link Known}
 * of the rollout so far.
 *
 * <p>The schedule follows what {@code fleet promote} does. Waves run one after the other: a wave starts when the
 * previous one has been verified and soaked (a running soak ends at its end time). Inside a wave, tenants promoted
 * but not yet verified are verified first; tenants without a {@code cluster:} block land as soon as they open (the
 * rollout pushes them together, and they count as verified when they land); tenants with one are taken in the order
 * they open (open ones first, then by when their freeze ends, then as listed), each takes the first free of
 * {@code maxParallel} slots, starts at the first moment its own freeze windows allow from then on, and keeps the slot
 * for the fleet's tenant time. Because that order does not depend on soak or parallelism, more soak never makes the
 * finish earlier and more parallelism never makes it later.
 */
public final class FleetPlanner {

  /** Who the dry gate evaluation names as initiator; four-eyes bars it, which cannot matter without votes. */
  static final String INITIATOR = "fleet-plan";

  private FleetPlanner() {}

  /**
   * What the plan knows besides the configuration.
   *
   * @param state where the rollout stands, read as {@code fleet status} reads it (with holds); null when the
   *     repository was not read
   * @param clustered the tenants with a {@code cluster:} block
   * @param gate each tenant's gate decision for the digest at the plan's instant, votes and evidence included (what
   *     {@code fleet promote} asks); null: the gate's rules are evaluated dry, without votes or holds
   * @param dryRuns each tenant's dry-run evidence; null when no reports were given
   */
  public record Known(FleetState state, Set<String> clustered, Function<String, Decision> gate,
      Function<String, Optional<DryRunEvidence>> dryRuns) {

    public Known {
      clustered = Set.copyOf(clustered);
    }

    /** Nothing but the configuration (and the dry-run reports, when given). */
    public static Known configuration(Set<String> clustered, Function<String, Optional<DryRunEvidence>> dryRuns) {
      return new Known(null, clustered, null, dryRuns);
    }
  }

  /**
   * The plan from a configuration file alone (a change under review): nothing is known of the rollout, votes or holds,
   * and the plan says so. {@link FleetRollout#plan} plans from the repository.
   *
   * @param dryRuns each tenant's dry-run evidence; null when no reports were given
   */
  public static FleetPlan fromConfiguration(ReleaseConfig config, ReleasePolicy policy, String fleet, ImageRef image,
      Instant now, Function<String, Optional<DryRunEvidence>> dryRuns) {
    Fleet resolved = Fleet.of(config, fleet);
    FleetRollout.requireApplicationImage(config, resolved, image);
    return plan(resolved, policy, image.digest(), now, policy.zone(),
        Known.configuration(resolved.clustered(config), dryRuns));
  }

  /**
   * The plan for rolling {@code digest} out over {@code fleet} from {@code now}.
   *
   * @param policy the policy of the configuration the fleet comes from
   * @param zone the zone wave and plan times are given in (the file's)
   */
  public static FleetPlan plan(Fleet fleet, ReleasePolicy policy, ImageDigest digest, Instant now, ZoneId zone,
      Known known) {
    java.util.Objects.requireNonNull(digest, "the fleet's digest");
    Map<String, FleetState.TenantState> rows = new HashMap<>();
    Set<String> earlier = new HashSet<>();
    if (known.state() != null) {
      for (FleetState.TenantState row : known.state().tenants()) {
        rows.put(row.tenant(), row);
        if (runsIt(row)) {
          earlier.add(row.tenant());
        }
      }
    }
    Map<String, FleetState.TenantHold> holds = new HashMap<>();
    if (known.state() != null) {
      known.state().holds().stream().filter(h -> digest.equals(h.digest())).forEach(h -> holds.put(h.tenant(), h));
    }
    List<FleetPlan.WavePlan> waves = new ArrayList<>();
    List<String> unplanned = new ArrayList<>();
    Instant waveStart = now;
    Instant finish = now;
    for (Fleet.Wave wave : fleet.waves()) {
      List<Slot> order = new ArrayList<>();
      List<FleetPlan.TenantPlan> plans = new ArrayList<>();
      Instant lastVerified = null;
      for (int i = 0; i < wave.tenants().size(); i++) {
        Fleet.Tenant tenant = wave.tenants().get(i);
        FleetState.TenantState row = rows.get(tenant.name());
        boolean clustered = known.clustered().contains(tenant.name());
        boolean verifyOnly = row != null && row.state() == FleetState.State.PROMOTED && clustered;
        Instant verifiedAt = done(row, clustered) ? verifiedAt(row) : null;
        if (verifiedAt != null && (lastVerified == null || verifiedAt.isAfter(lastVerified))) {
          lastVerified = verifiedAt;
        }
        plans.add(tenantPlan(fleet, wave, tenant, row, clustered, policy, digest, now, known, earlier,
            holds.get(tenant.name())));
        if (!done(row, clustered)) {
          FreezeSchedule schedule = policy.schedule(tenant.name());
          Instant opens = verifyOnly ? now : Optional.ofNullable(plans.get(i).opensAt())
              .map(o -> o.toInstant()).orElse(Instant.MAX);
          order.add(new Slot(i, opens, schedule, clustered, verifyOnly));
        }
      }
      // Verifications of earlier runs come first, as fleet promote does them first.
      order.sort(Comparator.comparing((Slot s) -> !s.verifyOnly()).thenComparing(Slot::opens)
          .thenComparingInt(Slot::position));
      Instant waveEnd = waveStart == null ? null : lastVerified == null ? waveStart : lastVerified;
      if (waveStart == null) {
        order.forEach(s -> unplanned.add(wave.tenants().get(s.position()).name() + ": an earlier wave cannot be"
            + " planned"));
      } else {
        long slots = order.stream().filter(Slot::clustered).count();
        PriorityQueue<Instant> free = new PriorityQueue<>();
        for (int s = 0; s < Math.min(wave.maxParallel(), Math.max(1, slots)); s++) {
          free.add(waveStart);
        }
        for (Slot slot : order) {
          Fleet.Tenant tenant = wave.tenants().get(slot.position());
          Instant from = slot.clustered() ? free.poll() : waveStart;
          // Every instant between the plan's and the tenant's opening is frozen, so a slot freed before its
          // opening starts it exactly then; only later slots need the schedule again. A verification needs no
          // open window.
          Optional<Instant> start = slot.verifyOnly() ? Optional.of(from)
              : from.isAfter(slot.opens()) ? slot.schedule().nextOpen(from, Action.PROMOTE)
              : Optional.of(slot.opens()).filter(o -> !o.equals(Instant.MAX));
          if (start.isEmpty()) {
            if (slot.clustered()) {
              free.add(from);
            }
            waveEnd = null;
            unplanned.add(tenant.name() + ": frozen for longer than two years from "
                + from.atZone(tenant.zone()).toLocalDateTime());
            continue;
          }
          Instant end = slot.clustered() ? start.get().plus(fleet.tenantTime()) : start.get();
          if (slot.clustered()) {
            free.add(end);
          }
          if (waveEnd != null && end.isAfter(waveEnd)) {
            waveEnd = end;
          }
          plans.set(slot.position(), plans.get(slot.position()).scheduled(start.get().atZone(tenant.zone()),
              end.atZone(tenant.zone())));
        }
      }
      Instant soakEnds = waveEnd == null ? null : waveEnd.plus(wave.soak());
      waves.add(new FleetPlan.WavePlan(wave.index(), wave.name(), wave.canary(), wave.maxParallel(), wave.soak(),
          wave.rules(), waveStart == null ? null : waveStart.atZone(zone),
          waveEnd == null ? null : waveEnd.atZone(zone), soakEnds == null ? null : soakEnds.atZone(zone), plans));
      wave.tenants().forEach(t -> earlier.add(t.name()));
      finish = soakEnds;
      waveStart = soakEnds == null ? null : soakEnds.isBefore(now) ? now : soakEnds;
    }
    List<String> notRead = new ArrayList<>();
    if (known.state() == null) {
      notRead.add("promotions and verifications");
      notRead.add("halts");
      notRead.add("holds");
    }
    if (known.gate() == null) {
      notRead.add("votes");
    }
    if (known.dryRuns() == null) {
      notRead.add("dry-run reports");
    }
    return new FleetPlan(fleet.name(), fleet.application(), digest, now.atZone(zone),
        known.state() == null ? FleetPlan.CONFIGURATION : FleetPlan.REPOSITORY, notRead,
        known.state() == null ? null : known.state().halt(), fleet.tenantTime(), waves,
        finish == null ? null : finish.atZone(zone), unplanned);
  }

  private record Slot(int position, Instant opens, FreezeSchedule schedule, boolean clustered, boolean verifyOnly) {}

  /** Whether the tenant runs the digest (and so counts as an upstream already there). */
  private static boolean runsIt(FleetState.TenantState row) {
    return row.state() == FleetState.State.PROMOTED || row.state() == FleetState.State.VERIFIED
        || row.state() == FleetState.State.SOAKING;
  }

  /**
   * Whether the rollout needs nothing more from the tenant, as {@code fleet promote} judges it; a tenant without a
   * cluster that runs the digest counts as verified when it landed.
   */
  private static boolean done(FleetState.TenantState row, boolean clustered) {
    if (row == null) {
      return false;
    }
    return switch (row.state()) {
      case VERIFIED, SOAKING, SUPERSEDED -> true;
      case PROMOTED -> !clustered;
      default -> false;
    };
  }

  private static Instant verifiedAt(FleetState.TenantState row) {
    if (row.verifiedAt() != null) {
      return row.verifiedAt().toInstant();
    }
    return row.promotion() == null || row.state() == FleetState.State.SUPERSEDED ? null
        : row.promotion().time().toInstant();
  }

  private static FleetPlan.TenantPlan tenantPlan(Fleet fleet, Fleet.Wave wave, Fleet.Tenant tenant,
      FleetState.TenantState row, boolean clustered, ReleasePolicy policy, ImageDigest digest, Instant now, Known known,
      Set<String> earlier, FleetState.TenantHold hold) {
    String name = tenant.name();
    Optional<DryRunEvidence> evidence = known.dryRuns() == null ? Optional.empty() : known.dryRuns().apply(name);
    String dryRun = known.dryRuns() == null ? null : evidence.filter(e -> digest.equals(e.digest()))
        .map(e -> e.verdict().name()).orElse("missing");
    boolean done = done(row, clustered);
    if (done || row != null && row.state() == FleetState.State.PROMOTED) {
      // Runs the digest: nothing is left for its gate to decide.
      return new FleetPlan.TenantPlan(name, tenant.zone().getId(), state(row, false), clustered, List.of(), null,
          done ? Optional.ofNullable(verifiedAt(row)).map(v -> v.atZone(tenant.zone())).orElse(null) : null, null,
          null, dryRun, null, hold, List.of(), null, null);
    }
    TenantFreeze freeze = TenantFreeze.of(policy.schedule(name), now);
    Decision decision = known.gate() != null ? known.gate().apply(name) : dry(fleet, tenant, policy, digest, now,
        evidence);
    List<String> needs = new ArrayList<>();
    for (RuleResult rule : FleetRollout.requiredFailures(wave, decision)) {
      boolean planned = rule.rule().equals("promote-from") && earlier.contains(tenant.promoteFrom());
      if (!rule.rule().equals("freeze") && !planned) {
        needs.add(rule.rule() + ": " + rule.reason());
      }
    }
    // Like fleet promote: a FAIL for this digest halts the rollout whatever the wave's rules say.
    if ("FAIL".equals(dryRun) && needs.stream().noneMatch(n -> n.startsWith("dry-run:"))) {
      needs.add("dry-run: the dry-run report of " + name + " says FAIL; the rollout halts when it reaches " + name);
    }
    if (row != null && row.state() == FleetState.State.CHANGED_OUTSIDE) {
      needs.add("changed-outside: " + row.failure());
    }
    if (row != null && row.state() == FleetState.State.ROLLED_BACK) {
      needs.add("resume: the digest was rolled back in " + name + " since it was promoted there; 'odoo-gitops fleet"
          + " resume' is needed before the rollout promotes it again");
    }
    return new FleetPlan.TenantPlan(name, tenant.zone().getId(), state(row, freeze.frozen()), clustered,
        freeze.windows(), freeze.opens().map(o -> o.atZone(tenant.zone())).orElse(null), null,
        row == null ? null : row.failure(), approvals(tenant, decision, known.gate() != null), dryRun,
        restorePoint(decision), hold, needs, null, null);
  }

  private static String state(FleetState.TenantState row, boolean frozen) {
    if (row == null || row.state() == FleetState.State.WAITING || row.state() == FleetState.State.FROZEN) {
      return frozen ? "frozen" : "open";
    }
    return row.state().label();
  }

  /**
   * The gate's rules evaluated dry, as of {@code now}, without votes or holds and with the dry-run evidence given:
   * what the tenant will need.
   */
  private static Decision dry(Fleet fleet, Fleet.Tenant tenant, ReleasePolicy policy, ImageDigest digest, Instant now,
      Optional<DryRunEvidence> evidence) {
    GateRequest.Builder request = GateRequest.builder(Candidate.promotion(tenant.name(), fleet.application(), digest))
        .initiator(INITIATOR).at(now);
    evidence.ifPresent(request::dryRun);
    return policy.evaluate(request.build());
  }

  private static FleetPlan.Approvals approvals(Fleet.Tenant tenant, Decision decision, boolean votesRead) {
    if (tenant.gate() == null || tenant.gate().approvals() == null || tenant.gate().approvals() == 0) {
      return null;
    }
    List<String> by = decision.trailers().stream().filter(t -> t.key().equals(Trailers.APPROVED_BY))
        .map(Trailer::value).toList();
    return new FleetPlan.Approvals(tenant.gate().approvals(), votesRead ? by.size() : null, by);
  }

  private static String restorePoint(Decision decision) {
    return decision.rules().stream().filter(r -> r.rule().equals("restore-point")).findFirst()
        .map(r -> r.outcome() == Outcome.PASSED ? "present" : r.outcome() == Outcome.FAILED ? "missing"
            : "not required").orElse("not required");
  }
}
