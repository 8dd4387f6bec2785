package io.odoogitops.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.odoogitops.ImageDigest;
import io.odoogitops.config.ReleaseConfig;
import io.odoogitops.policy.Action;
import io.odoogitops.policy.FreezeSchedule;
import io.odoogitops.policy.ReleasePolicy;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The plan of a simulated fleet of 50 tenants on three business calendars in three DST zones, at instants spread over
 * two years (DST changes included): wave order, frozen tenants planned when their own windows open, and an estimated
 * finish that only grows with soak and only shrinks with parallelism.
 */
class FleetPlanProperties {

  private static final ImageDigest DIGEST = new ImageDigest("sha256:" + "ab".repeat(32));
  private static final int TENANTS = 50;

  @Provide
  Arbitrary<Instant> instants() {
    // 2026-01-01 to 2027-12-31, any minute: both DST changes of every zone fall inside.
    return Arbitraries.longs().between(0, 2L * 365 * 24 * 60)
        .map(m -> Instant.parse("2026-01-01T00:00:00Z").plus(Duration.ofMinutes(m)));
  }

  private static FleetPlan plan(Fleet fleet, ReleasePolicy policy, Instant now) {
    return FleetPlanner.plan(fleet, policy, DIGEST, now, ZoneId.of("Europe/Brussels"),
        FleetPlanner.Known.configuration(Set.of(), null));
  }

  @Property(tries = 40)
  void waveKPlusOneNeverStartsBeforeWaveKHasEndedAndSoaked(@ForAll @IntRange(min = 0, max = 5000) long seed,
      @ForAll("instants") Instant now, @ForAll @IntRange(min = 1, max = 6) int parallel,
      @ForAll @IntRange(min = 0, max = 72) int soakHours) {
    ReleaseConfig config = SimulatedFleet.config(seed, TENANTS, parallel, soakHours + "h");
    FleetPlan plan = plan(Fleet.of(config, "saas"), ReleasePolicy.of(config), now);

    assertThat(plan.waves()).hasSize(4);
    assertThat(plan.waves().stream().mapToInt(w -> w.tenants().size()).sum()).isEqualTo(TENANTS);
    for (int k = 0; k + 1 < plan.waves().size(); k++) {
      FleetPlan.WavePlan wave = plan.waves().get(k);
      FleetPlan.WavePlan next = plan.waves().get(k + 1);
      if (next.start() == null) {
        assertThat(wave.end()).isNull();
        continue;
      }
      for (FleetPlan.TenantPlan tenant : wave.tenants()) {
        assertThat(tenant.end()).isNotNull();
        assertThat(next.start().toInstant()).isAfterOrEqualTo(tenant.end().toInstant().plus(wave.soak()));
        assertThat(tenant.start().toInstant()).isAfterOrEqualTo(wave.start().toInstant());
      }
    }
    assertThat(plan.waves().get(0).start().toInstant()).isEqualTo(now);
  }

  @Property(tries = 40)
  void frozenTenantsArePlannedWhenTheirOwnWindowOpens(@ForAll @IntRange(min = 0, max = 5000) long seed,
      @ForAll("instants") Instant now, @ForAll @IntRange(min = 1, max = 6) int parallel) {
    ReleaseConfig config = SimulatedFleet.config(seed, TENANTS, parallel, "4h");
    ReleasePolicy policy = ReleasePolicy.of(config);
    Fleet fleet = Fleet.of(config, "saas");
    FleetPlan plan = plan(fleet, policy, now);

    for (FleetPlan.WavePlan wave : plan.waves()) {
      if (wave.start() == null) {
        continue;
      }
      // A slot frees at the wave's start or when another tenant of the wave ends; a tenant starts at such a moment
      // or, when frozen then, exactly when its freeze ends.
      Set<Instant> slots = new HashSet<>();
      slots.add(wave.start().toInstant());
      wave.tenants().stream().filter(t -> t.end() != null).forEach(t -> slots.add(t.end().toInstant()));
      for (FleetPlan.TenantPlan tenant : wave.tenants()) {
        if (tenant.start() == null) {
          assertThat(plan.unplanned()).anyMatch(u -> u.startsWith(tenant.tenant() + ":"));
          continue;
        }
        FreezeSchedule schedule = policy.schedule(tenant.tenant());
        Instant start = tenant.start().toInstant();
        assertThat(schedule.status(start).blocks(Action.PROMOTE)).as(tenant.tenant() + " frozen at its start")
            .isFalse();
        assertThat(slots.contains(start) || schedule.status(start.minusNanos(1)).blocks(Action.PROMOTE))
            .as(tenant.tenant() + " starts at a free slot or when its window opens").isTrue();
        if ("frozen".equals(tenant.state())) {
          assertThat(tenant.opensAt()).isNotNull();
          assertThat(start).isAfterOrEqualTo(tenant.opensAt().toInstant());
          assertThat(schedule.status(tenant.opensAt().toInstant()).blocks(Action.PROMOTE)).isFalse();
        }
        ZoneId own = fleet.waves().get(wave.index()).tenants().stream()
            .filter(t -> t.name().equals(tenant.tenant())).findFirst().orElseThrow().zone();
        assertThat(own.getId()).isIn(SimulatedFleet.ZONES);
        assertThat(tenant.start().getZone()).isEqualTo(own);
        assertThat(tenant.zone()).isEqualTo(own.getId());
      }
    }
  }

  @Property(tries = 25)
  void theEstimatedFinishIsMonotoneInSoakAndParallelism(@ForAll @IntRange(min = 0, max = 5000) long seed,
      @ForAll("instants") Instant now, @ForAll @IntRange(min = 1, max = 5) int parallel,
      @ForAll @IntRange(min = 1, max = 4) int moreParallel, @ForAll @IntRange(min = 0, max = 48) int soakHours,
      @ForAll @IntRange(min = 1, max = 96) int moreSoakHours) {
    ReleaseConfig config = SimulatedFleet.config(seed, TENANTS, 1, "0h");
    ReleasePolicy policy = ReleasePolicy.of(config);
    Fleet fleet = Fleet.of(config, "saas");
    Duration soak = Duration.ofHours(soakHours);

    ZonedDateTime base = plan(fleet.with(parallel, soak), policy, now).finish();
    ZonedDateTime longerSoak = plan(fleet.with(parallel, soak.plusHours(moreSoakHours)), policy, now).finish();
    ZonedDateTime moreSlots = plan(fleet.with(parallel + moreParallel, soak), policy, now).finish();

    assertThat(atMost(base, longerSoak)).as("finish with more soak is not earlier").isTrue();
    assertThat(atMost(moreSlots, base)).as("finish with more parallelism is not later").isTrue();
  }

  /** {@code a <= b}, an unknown finish (null) being later than every known one. */
  private static boolean atMost(ZonedDateTime a, ZonedDateTime b) {
    if (b == null) {
      return true;
    }
    return a != null && !a.toInstant().isAfter(b.toInstant());
  }

  @Property(tries = 10)
  void tenantsAlreadyRunningTheDigestAreNotPlannedAgain(@ForAll @IntRange(min = 0, max = 5000) long seed,
      @ForAll("instants") Instant now) {
    ReleaseConfig config = SimulatedFleet.config(seed, TENANTS, 3, "2h");
    Fleet fleet = Fleet.of(config, "saas");
    Set<String> running = Set.of("t000", "t001", "t010");
    ReleasePolicy policy = ReleasePolicy.of(config);
    java.util.Map<String, TenantFacts> facts = new java.util.HashMap<>();
    running.forEach(t -> facts.put(t, new TenantFacts(DIGEST, List.of())));
    FleetState state = FleetState.of(fleet, DIGEST, facts, policy, now);
    FleetPlan plan = FleetPlanner.plan(fleet, policy, DIGEST, now, ZoneId.of("UTC"),
        new FleetPlanner.Known(state, Set.of(), null, null));

    List<FleetPlan.TenantPlan> all = plan.waves().stream().flatMap(w -> w.tenants().stream()).toList();
    assertThat(all).filteredOn(t -> running.contains(t.tenant()))
        .allSatisfy(t -> assertThat(t.state()).isEqualTo("promoted"))
        .allSatisfy(t -> assertThat(t.start()).isNull());
    assertThat(plan.waves().get(0).end()).isEqualTo(plan.waves().get(0).start());
  }
}
