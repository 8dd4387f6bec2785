package io.odoogitops.fleet;

import io.odoogitops.ImageDigest;
import io.odoogitops.policy.Action;
import io.odoogitops.policy.Candidate;
import io.odoogitops.policy.Decision;
import io.odoogitops.policy.FreezeSchedule;
import io.odoogitops.policy.GateRequest;
import io.odoogitops.policy.Outcome;
import io.odoogitops.policy.ReleasePolicy;
import io.odoogitops.policy.RuleResult;
import io.odoogitops.policy.UpstreamEvidence;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Plans a fleet rollout: a pure function of the fleet, its policy, the digest, the instant and which tenants already
 * run the digest.
 *
 * <p>Waves run one after the other: a wave starts when the previous one has ended and soaked. Inside a wave, tenants
 * are taken in the order they open (open ones first, then by when their freeze ends, then as listed); each takes the
 * first free of {@code maxParallel} slots and starts at the first moment its own freeze windows allow from then on,
 * and keeps the slot for the fleet's tenant time. Because that order does not depend on soak or parallelism, more soak
 * never makes the finish earlier and more parallelism never makes it later.
 */
public final class FleetPlanner {

  /** Who the dry gate evaluation names as initiator; four-eyes bars it, which cannot matter without votes. */
  static final String INITIATOR = "fleet-plan";

  private FleetPlanner() {}

  /**
   * The plan for rolling {@code digest} out over {@code fleet} from {@code now}.
   *
   * @param policy the policy of the configuration the fleet comes from
   * @param running tenants that already run the digest: nothing left to do there
   * @param zone the zone wave and plan times are given in (the file's)
   */
  public static FleetPlan plan(Fleet fleet, ReleasePolicy policy, ImageDigest digest, Instant now, Set<String> running,
      ZoneId zone) {
    java.util.Objects.requireNonNull(digest, "the fleet's digest");
    Set<String> earlier = new HashSet<>(running);
    List<FleetPlan.WavePlan> waves = new ArrayList<>();
    List<String> unplanned = new ArrayList<>();
    Instant waveStart = now;
    for (Fleet.Wave wave : fleet.waves()) {
      List<Slot> order = new ArrayList<>();
      List<FleetPlan.TenantPlan> plans = new ArrayList<>();
      for (int i = 0; i < wave.tenants().size(); i++) {
        Fleet.Tenant tenant = wave.tenants().get(i);
        FreezeSchedule schedule = policy.schedule(tenant.name());
        TenantFreeze freeze = TenantFreeze.of(schedule, now);
        Optional<Instant> opens = freeze.opens();
        String state = running.contains(tenant.name()) ? "promoted" : freeze.frozen() ? "frozen" : "open";
        List<String> needs = running.contains(tenant.name()) || !tenant.gated() ? List.of()
            : needs(fleet, wave, tenant, policy, digest, now, earlier);
        plans.add(new FleetPlan.TenantPlan(tenant.name(), tenant.zone().getId(), state, freeze.windows(),
            opens.map(o -> o.atZone(tenant.zone())).orElse(null), needs, null, null));
        if (!running.contains(tenant.name())) {
          order.add(new Slot(i, opens.orElse(Instant.MAX), schedule));
        }
      }
      order.sort(Comparator.comparing(Slot::opens).thenComparingInt(Slot::position));
      Instant waveEnd = waveStart;
      if (waveStart == null) {
        waveEnd = null;
        order.forEach(s -> unplanned.add(wave.tenants().get(s.position()).name() + ": an earlier wave cannot be"
            + " planned"));
      } else {
        PriorityQueue<Instant> free = new PriorityQueue<>();
        for (int s = 0; s < Math.min(wave.maxParallel(), Math.max(1, order.size())); s++) {
          free.add(waveStart);
        }
        for (Slot slot : order) {
          Fleet.Tenant tenant = wave.tenants().get(slot.position());
          Instant from = free.poll();
          // Every instant between the plan's and the tenant's opening is frozen, so a slot freed before its
          // opening starts it exactly then; only later slots need the schedule again.
          Optional<Instant> start = from.isAfter(slot.opens()) ? slot.schedule().nextOpen(from, Action.PROMOTE)
              : Optional.of(slot.opens()).filter(o -> !o.equals(Instant.MAX));
          if (start.isEmpty()) {
            free.add(from);
            waveEnd = null;
            unplanned.add(tenant.name() + ": frozen for longer than two years from "
                + from.atZone(tenant.zone()).toLocalDateTime());
            continue;
          }
          Instant end = start.get().plus(fleet.tenantTime());
          free.add(end);
          if (waveEnd != null && end.isAfter(waveEnd)) {
            waveEnd = end;
          }
          FleetPlan.TenantPlan p = plans.get(slot.position());
          plans.set(slot.position(), new FleetPlan.TenantPlan(p.tenant(), p.zone(), p.state(), p.frozenBy(),
              p.opensAt(), p.needs(), start.get().atZone(tenant.zone()), end.atZone(tenant.zone())));
        }
      }
      waves.add(new FleetPlan.WavePlan(wave.index(), wave.name(), wave.canary(), wave.maxParallel(), wave.soak(),
          wave.rules(), waveStart == null ? null : waveStart.atZone(zone),
          waveEnd == null ? null : waveEnd.atZone(zone), plans));
      wave.tenants().forEach(t -> earlier.add(t.name()));
      waveStart = waveEnd == null ? null : waveEnd.plus(wave.soak());
    }
    return new FleetPlan(fleet.name(), fleet.application(), digest, now.atZone(zone), fleet.tenantTime(), waves,
        waveStart == null ? null : waveStart.atZone(zone), unplanned);
  }

  private record Slot(int position, Instant opens, FreezeSchedule schedule) {}

  /**
   * The gate's rules evaluated dry, as of {@code now} and without votes or evidence: what the tenant will need. The
   * freeze rule is left out (the schedule plans around it), and so are rules the wave does not require; an upstream
   * environment in an earlier wave counts as promoted, since the plan puts it first.
   */
  private static List<String> needs(Fleet fleet, Fleet.Wave wave, Fleet.Tenant tenant, ReleasePolicy policy,
      ImageDigest digest, Instant now, Set<String> earlier) {
    GateRequest.Builder request = GateRequest.builder(Candidate.promotion(tenant.name(), fleet.application(), digest))
        .initiator(INITIATOR).at(now);
    Optional.ofNullable(tenant.promoteFrom()).filter(earlier::contains)
        .ifPresent(u -> request.upstream(new UpstreamEvidence(u, Set.of(digest))));
    Decision decision = policy.evaluate(request.build());
    List<String> needs = new ArrayList<>();
    for (RuleResult rule : decision.rules()) {
      if (rule.outcome() == Outcome.FAILED && required(wave, rule.rule())) {
        needs.add(rule.rule() + ": " + rule.reason());
      }
    }
    return needs;
  }

  private static boolean required(Fleet.Wave wave, String rule) {
    return switch (rule) {
      case "freeze" -> false;
      case "rejections" -> wave.rules().contains("approvals");
      default -> wave.rules().contains(rule);
    };
  }
}
