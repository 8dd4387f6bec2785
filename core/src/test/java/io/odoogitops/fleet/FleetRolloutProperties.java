package io.odoogitops.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.odoogitops.ImageDigest;
import io.odoogitops.ImageRef;
import io.odoogitops.config.ReleaseConfig;
import io.odoogitops.gitops.GateCheck;
import io.odoogitops.gitops.GitCredentials;
import io.odoogitops.gitops.GitOpsRemote;
import io.odoogitops.gitops.GitOpsRepository;
import io.odoogitops.gitops.PromotionEngine;
import io.odoogitops.gitops.RepositorySeed;
import io.odoogitops.gitops.Trailers;
import io.odoogitops.policy.DryRunEvidence;
import io.odoogitops.policy.ReleasePolicy;
import io.odoogitops.policy.Verdict;
import io.odoogitops.testing.GitDaemon;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.FooterLine;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * {@code fleet promote} run step by step on a simulated fleet of 50 tenants on three business calendars in three DST
 * zones, against a real repository served by git daemon on loopback: the clock moves by a random step, then one
 * {@code advance} runs (or two, racing, each with its own cache). The history the runs leave is then checked.
 */
class FleetRolloutProperties {

  private static final int TENANTS = 50;
  private static final ImageRef IMAGE = new ImageRef("registry.example.com/acme/odoo", "17.0-42",
      new ImageDigest("sha256:" + "42".repeat(32)));
  private static final ImageDigest OLD = new ImageDigest("sha256:" + "0".repeat(64));

  /** One promotion commit of the rollout, read back from the served repository. */
  record Landed(String tenant, String wave, Instant at) {}

  /** One simulated rollout: repository, daemon and the clock that runs and commits share. */
  static final class Sim implements AutoCloseable {
    final Path dir;
    final GitDaemon daemon;
    final StepClock clock;
    final ReleaseConfig config;
    final Fleet fleet;
    final int tenants;
    final List<GitOpsRepository> caches = new ArrayList<>();

    Sim(int seed, int parallel, String soak, Instant start) throws Exception {
      this(seed, TENANTS, parallel, soak, false, start);
    }

    Sim(int seed, int tenants, int parallel, String soak, boolean clustered, Instant start) throws Exception {
      this.tenants = tenants;
      dir = Files.createTempDirectory("fleet-sim");
      String yaml = SimulatedFleet.yaml(seed, tenants, parallel, soak, clustered);
      config = SimulatedFleet.config(yaml);
      fleet = Fleet.of(config, "saas");
      Map<String, String> files = new LinkedHashMap<>();
      files.put("odoo-gitops.yaml", yaml);
      for (int i = 0; i < tenants; i++) {
        files.put("envs/" + SimulatedFleet.name(i) + "/kustomization.yaml", "images:\n  - name: "
            + IMAGE.repository() + "\n    digest: " + OLD + "\n");
      }
      Path served = Files.createDirectories(dir.resolve("served"));
      RepositorySeed.create(served.resolve("gitops.git"), "main", files, "simulated fleet");
      daemon = GitDaemon.start(served);
      clock = new StepClock(start);
    }

    FleetRollout rollout(String cache, Function<String, GateCheck.Inputs> inputs) {
      return rollout(cache, inputs, TenantVerifier.NONE);
    }

    FleetRollout rollout(String cache, Function<String, GateCheck.Inputs> inputs, TenantVerifier verifier) {
      GitOpsRepository repo = GitOpsRepository.open(new GitOpsRemote(daemon.url("gitops.git"), "main",
          GitCredentials.none(), dir.resolve(cache)));
      caches.add(repo);
      return FleetRollout.builder(PromotionEngine.builder(repo).clock(clock).build(), repo).clock(clock)
          .gateInputs(inputs).verifier(verifier).initiator("nightly").build();
    }

    /** The fleet's promotion commits (not rollbacks), oldest first. */
    List<Landed> promotions() throws Exception {
      List<Landed> out = new ArrayList<>();
      try (Git git = Git.open(dir.resolve("served/gitops.git").toFile())) {
        for (RevCommit c : git.log().call()) {
          List<FooterLine> footers = c.getFooterLines();
          if ("saas".equals(value(footers, Trailers.FLEET)) && value(footers, Trailers.PROMOTION_ID) != null
              && value(footers, Trailers.ROLLBACK_OF) == null && value(footers, Trailers.ROLLBACK_TO) == null) {
            out.add(0, new Landed(value(footers, Trailers.ENVIRONMENT), value(footers, Trailers.WAVE),
                c.getCommitterIdent().getWhenAsInstant()));
          }
        }
      }
      return out;
    }

    private static String value(List<FooterLine> footers, String key) {
      return footers.stream().filter(f -> f.getKey().equalsIgnoreCase(key)).map(f -> f.getValue().strip()).findFirst()
          .orElse(null);
    }

    @Override
    public void close() throws Exception {
      caches.forEach(GitOpsRepository::close);
      daemon.close();
      try (var paths = Files.walk(dir)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /**
   * Steps a rollout may take at most. Every step either lands a promotion, ends a soak or reaches the opening of a
   * queued tenant (see {@link #step}), so 50 tenants in four waves finish well within it; a rollout that does not is
   * a liveness bug, not bad luck.
   */
  private static final int STEPS = 120;

  /**
   * The next move of the clock: a random 1 to 72 hours, cut short at the next thing the run said it waits for (the
   * earliest opening of a queued tenant, or when the next wave may start), plus a minute. Random steps alone would
   * only hit a short window (an allowOnly slot, a gap between closes) by chance. {@code last} null: random only.
   */
  private static Duration step(Random random, FleetAdvance last, Instant now) {
    Duration step = Duration.ofMinutes(60 + random.nextInt(71 * 60));
    if (last == null) {
      return step;
    }
    List<Instant> events = new ArrayList<>();
    last.queued().stream().map(FleetAdvance.Queued::opensAt).filter(java.util.Objects::nonNull)
        .map(java.time.ZonedDateTime::toInstant).forEach(events::add);
    Optional.ofNullable(last.nextWaveAt()).map(java.time.ZonedDateTime::toInstant).ifPresent(events::add);
    Optional<Instant> next = events.stream().filter(now::isBefore).min(Instant::compareTo);
    if (next.isPresent()) {
      Duration until = Duration.between(now, next.get()).plusMinutes(1);
      step = until.compareTo(step) < 0 ? until : step;
    }
    return step;
  }

  private static Instant start(long minutes) {
    // Any minute of 2027: every zone's two DST changes fall inside, after the repository's first commit.
    return Instant.parse("2027-01-01T00:00:00Z").plus(Duration.ofMinutes(minutes));
  }

  /**
   * Waves in order and soaked, each tenant promoted exactly once and never inside its own freeze windows, the rollout
   * complete within {@link #STEPS} runs, and a re-run right after a run promoting nothing.
   */
  @Property(tries = 1)
  void wavesFollowEachOtherSoakedAndFrozenTenantsArePromotedOnceWhenTheyOpen(
      @ForAll @IntRange(min = 0, max = 5000) int seed, @ForAll @IntRange(min = 0, max = 525_000) int minute,
      @ForAll @IntRange(min = 0, max = 30) int soakHours) throws Exception {
    rollsOutCompletely(seed, TENANTS, soakHours, start(minute));
  }

  /** Rollouts that start six hours before each zone's two DST changes of 2027 (12 tenants, to keep them quick). */
  @Example
  void aRolloutAcrossTheDstChangesOfBrussels() throws Exception {
    acrossDstChanges("Europe/Brussels", 11);
  }

  @Example
  void aRolloutAcrossTheDstChangesOfNewYork() throws Exception {
    acrossDstChanges("America/New_York", 22);
  }

  @Example
  void aRolloutAcrossTheDstChangesOfSydney() throws Exception {
    acrossDstChanges("Australia/Sydney", 33);
  }

  private static void acrossDstChanges(String zone, int seed) throws Exception {
    java.time.zone.ZoneRules rules = java.time.ZoneId.of(zone).getRules();
    Instant first = rules.nextTransition(Instant.parse("2027-01-01T00:00:00Z")).getInstant();
    Instant second = rules.nextTransition(first).getInstant();
    assertThat(second).isBefore(Instant.parse("2028-01-01T00:00:00Z"));
    for (Instant change : List.of(first, second)) {
      rollsOutCompletely(seed, 12, 12, change.minus(Duration.ofHours(6)));
    }
  }

  private static void rollsOutCompletely(int seed, int tenants, int soakHours, Instant start) throws Exception {
    try (Sim sim = new Sim(seed, tenants, 1 + seed % 5, soakHours + "h", false, start)) {
      FleetRollout rollout = sim.rollout("cache", tenant -> GateCheck.Inputs.none());
      Random steps = new Random(seed);
      FleetAdvance last = null;
      for (int step = 0; step < STEPS; step++) {
        last = rollout.advance("saas", IMAGE);
        assertThat(last.outcome()).isNotEqualTo(FleetAdvance.Outcome.HALTED);
        if (last.outcome() == FleetAdvance.Outcome.COMPLETE) {
          break;
        }
        if (!last.promoted().isEmpty()) {
          int before = sim.promotions().size();
          assertThat(rollout.advance("saas", IMAGE).promoted()).as("a re-run at the same instant").isEmpty();
          assertThat(sim.promotions()).hasSize(before);
        }
        sim.clock.advance(step(steps, last, sim.clock.instant()));
      }
      assertThat(last.outcome()).as("complete within " + STEPS + " runs from " + start + ": " + last.message())
          .isEqualTo(FleetAdvance.Outcome.COMPLETE);
      List<Landed> landed = sim.promotions();
      checkWaves(sim, landed);
      assertThat(landed).extracting(Landed::tenant).as("every tenant exactly once")
          .containsExactlyInAnyOrderElementsOf(sim.fleet.tenants().stream().map(Fleet.Tenant::name).toList());
    }
  }

  /** Every tenant at most once; wave k+1's first promotion after all of wave k, plus its soak; none in a freeze. */
  private static void checkWaves(Sim sim, List<Landed> landed) {
    Map<String, Long> perTenant = new HashMap<>();
    landed.forEach(l -> perTenant.merge(l.tenant(), 1L, Long::sum));
    assertThat(perTenant.values()).allMatch(n -> n == 1L);
    ReleasePolicy policy = ReleasePolicy.of(sim.config);
    for (Landed l : landed) {
      assertThat(TenantFreeze.of(policy.schedule(l.tenant()), l.at()).frozen())
          .as(l.tenant() + " promoted at " + l.at() + " inside a freeze").isFalse();
      assertThat(sim.fleet.waveOf(l.tenant()).name()).isEqualTo(l.wave());
    }
    for (int k = 0; k + 1 < sim.fleet.waves().size(); k++) {
      Fleet.Wave wave = sim.fleet.waves().get(k);
      int next = k + 1;
      Optional<Instant> nextStart = landed.stream().filter(l -> sim.fleet.waveOf(l.tenant()).index() >= next)
          .map(Landed::at).min(Instant::compareTo);
      if (nextStart.isEmpty()) {
        continue;
      }
      List<Landed> ofWave = landed.stream().filter(l -> sim.fleet.waveOf(l.tenant()).index() == wave.index())
          .toList();
      assertThat(ofWave).as("every tenant of wave " + wave.name() + " before the next starts")
          .hasSize(wave.tenants().size());
      Instant verified = ofWave.stream().map(Landed::at).max(Instant::compareTo).orElseThrow();
      assertThat(nextStart.get()).as("after wave " + wave.name() + " soaked").isAfterOrEqualTo(
          verified.plus(wave.soak()));
    }
  }

  /**
   * Advances until the rollout halts (within {@link #STEPS} runs), then runs it three more times, days apart: it stays
   * halted and promotes nothing more. Returns the state of the halting run.
   */
  private static FleetState haltsAndStaysHalted(Sim sim, FleetRollout rollout, int seed) throws Exception {
    Random steps = new Random(seed);
    FleetState halted = null;
    for (int step = 0; step < STEPS && halted == null; step++) {
      FleetAdvance result = rollout.advance("saas", IMAGE);
      halted = result.outcome() == FleetAdvance.Outcome.HALTED ? result.state() : null;
      sim.clock.advance(step(steps, result, sim.clock.instant()));
    }
    assertThat(halted).as("the failing tenant's wave is reached within " + STEPS + " runs").isNotNull();
    List<Landed> before = sim.promotions();
    for (int step = 0; step < 3; step++) {
      assertThat(rollout.advance("saas", IMAGE).outcome()).isEqualTo(FleetAdvance.Outcome.HALTED);
      sim.clock.advance(Duration.ofDays(3));
    }
    assertThat(sim.promotions()).isEqualTo(before);
    return halted;
  }

  /** A tenant whose dry-run failed halts the rollout in its wave: no later wave is touched, ever. */
  @Property(tries = 3)
  void aFailureInAnyWaveHaltsAllLaterWaves(@ForAll @IntRange(min = 0, max = 5000) int seed,
      @ForAll @IntRange(min = 0, max = 525_000) int minute, @ForAll @IntRange(min = 0, max = 49) int failing)
      throws Exception {
    try (Sim sim = new Sim(seed, 3, "2h", start(minute))) {
      String bad = SimulatedFleet.name(failing);
      DryRunEvidence failed = new DryRunEvidence(IMAGE.digest(), Verdict.FAIL, "sha256:" + "f".repeat(64));
      FleetRollout rollout = sim.rollout("cache", tenant -> tenant.equals(bad)
          ? new GateCheck.Inputs(null, List.of(), Optional.of(failed), Optional.empty())
          : GateCheck.Inputs.none());
      int badWave = sim.fleet.waveOf(bad).index();
      FleetState halted = haltsAndStaysHalted(sim, rollout, seed);
      assertThat(halted.halt().tenant()).isEqualTo(bad);
      assertThat(halted.halt().reason()).contains("dry-run report of " + bad + " says FAIL");
      List<Landed> landed = sim.promotions();
      assertThat(landed).noneMatch(l -> l.tenant().equals(bad));
      assertThat(landed).allMatch(l -> sim.fleet.waveOf(l.tenant()).index() <= badWave);
      checkWaves(sim, landed);
    }
  }

  /**
   * A tenant whose cluster verification fails (its workload goes Degraded) halts the rollout in its wave: it was
   * promoted, the halt names it, and no tenant of a later wave is promoted or even verified, however often the
   * rollout is run again.
   */
  @Property(tries = 2)
  void aVerificationFailureHaltsAllLaterWaves(@ForAll @IntRange(min = 0, max = 5000) int seed,
      @ForAll @IntRange(min = 0, max = 525_000) int minute, @ForAll @IntRange(min = 0, max = 19) int failing)
      throws Exception {
    // 20 tenants: each clustered batch is verified before the next lands, which makes a rollout slower.
    try (Sim sim = new Sim(seed, 20, 3, "2h", true, start(minute))) {
      String bad = SimulatedFleet.name(failing);
      ScriptedVerifier verifier = new ScriptedVerifier(java.util.Set.of(bad));
      FleetRollout rollout = sim.rollout("cache", tenant -> GateCheck.Inputs.none(), verifier);
      int badWave = sim.fleet.waveOf(bad).index();
      FleetState halted = haltsAndStaysHalted(sim, rollout, seed);
      assertThat(halted.halt().tenant()).isEqualTo(bad);
      assertThat(halted.halt().reason()).contains(bad + ": verification failed (CONTROLLER_FAILED): "
          + ScriptedVerifier.DEGRADED);
      assertThat(FleetRolloutIT.row(halted, bad).state()).isEqualTo(FleetState.State.FAILED);
      List<Landed> landed = sim.promotions();
      assertThat(landed).anyMatch(l -> l.tenant().equals(bad));
      assertThat(landed).allMatch(l -> sim.fleet.waveOf(l.tenant()).index() <= badWave);
      assertThat(verifier.asked()).allMatch(t -> sim.fleet.waveOf(t).index() <= badWave);
      assertThat(verifier.asked()).filteredOn(bad::equals).hasSize(1);
      checkWaves(sim, landed);
    }
  }

  /** Two runs racing at every step, each with its own cache, never promote a tenant twice. */
  @Property(tries = 1)
  void racingRunsNeverPromoteATenantTwice(@ForAll @IntRange(min = 0, max = 5000) int seed,
      @ForAll @IntRange(min = 0, max = 525_000) int minute) throws Exception {
    try (Sim sim = new Sim(seed, 4, "0h", start(minute))) {
      FleetRollout one = sim.rollout("cache-one", tenant -> GateCheck.Inputs.none());
      FleetRollout two = sim.rollout("cache-two", tenant -> GateCheck.Inputs.none());
      Random steps = new Random(seed);
      for (int step = 0; step < 20; step++) {
        CompletableFuture<FleetAdvance> a = CompletableFuture.supplyAsync(() -> one.advance("saas", IMAGE));
        CompletableFuture<FleetAdvance> b = CompletableFuture.supplyAsync(() -> two.advance("saas", IMAGE));
        FleetAdvance ra = a.get();
        FleetAdvance rb = b.get();
        if (ra.outcome() == FleetAdvance.Outcome.COMPLETE && rb.outcome() == FleetAdvance.Outcome.COMPLETE) {
          break;
        }
        // Random steps only: this property is about racing, not completion, and a full rollout raced costs twice.
        sim.clock.advance(step(steps, null, sim.clock.instant()));
      }
      List<Landed> landed = sim.promotions();
      assertThat(landed).isNotEmpty();
      checkWaves(sim, landed);
    }
  }
}
