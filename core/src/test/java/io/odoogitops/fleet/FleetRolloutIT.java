package io.odoogitops.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.odoogitops.gitops.GitCredentials;
import io.odoogitops.gitops.GitOpsRemote;
import io.odoogitops.gitops.GitOpsRepository;
import io.odoogitops.gitops.PromotionEngine;
import io.odoogitops.testing.GitDaemon;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fleet promote} through the core against git daemon on loopback: waves in order, soaks, a frozen tenant
 * queued and promoted once it opens, the fleet trailers, one push per wave, and fleet rollback.
 */
class FleetRolloutIT {

  @TempDir Path dir;

  @Test
  void advancesWaveByWaveThroughSoaksAndFreezes() throws Exception {
    try (GitDaemon daemon = FleetFixture.serve(dir); GitOpsRepository repo = cache(daemon)) {
      StepClock clock = new StepClock(Instant.parse("2026-12-05T12:00:00Z"));
      PromotionEngine engine = PromotionEngine.builder(repo).clock(clock).build();
      FleetRollout rollout = FleetRollout.builder(engine, repo).clock(clock).initiatorClaim("alice")
          .reason("nightly fleet job").build();

      FleetAdvance first = rollout.advance("saas", FleetFixture.image(1));
      assertThat(first.outcome()).isEqualTo(FleetAdvance.Outcome.ADVANCED);
      assertThat(first.promoted()).extracting(FleetAdvance.TenantStep::tenant).containsExactly("acme");
      assertThat(first.verified()).extracting(FleetAdvance.TenantStep::tenant).containsExactly("acme");
      assertThat(first.nextWave()).isEqualTo("gold");
      assertThat(first.nextWaveAt().toInstant()).isEqualTo(Instant.parse("2026-12-05T14:00:00Z"));
      assertThat(row(first.state(), "acme").state()).isEqualTo(FleetState.State.SOAKING);

      // Re-running inside the soak does nothing.
      clock.advance(Duration.ofHours(1));
      FleetAdvance again = rollout.advance("saas", FleetFixture.image(1));
      assertThat(again.outcome()).isEqualTo(FleetAdvance.Outcome.WAITING);
      assertThat(again.promoted()).isEmpty();

      clock.advance(Duration.ofHours(1));
      FleetAdvance gold = rollout.advance("saas", FleetFixture.image(1));
      assertThat(gold.promoted()).extracting(FleetAdvance.TenantStep::tenant).containsExactly("globex", "initech");
      assertThat(gold.nextWaveAt().toInstant()).isEqualTo(Instant.parse("2026-12-05T18:00:00Z"));

      clock.advance(Duration.ofHours(4));
      FleetAdvance silver = rollout.advance("saas", FleetFixture.image(1));
      assertThat(silver.promoted()).extracting(FleetAdvance.TenantStep::tenant).containsExactly("hooli");
      assertThat(silver.queued()).singleElement().satisfies(q -> {
        assertThat(q.tenant()).isEqualTo("umbrella");
        assertThat(q.frozenBy()).containsExactly("year-end audit");
        assertThat(q.opensAt()).isEqualTo(ZonedDateTime.of(2026, 12, 10, 8, 0, 0, 0,
            ZoneId.of("America/New_York")));
      });
      assertThat(silver.outcome()).isEqualTo(FleetAdvance.Outcome.ADVANCED);
      assertThat(row(silver.state(), "umbrella").state()).isEqualTo(FleetState.State.FROZEN);

      clock.set(Instant.parse("2026-12-10T13:00:01Z"));
      FleetAdvance done = rollout.advance("saas", FleetFixture.image(1));
      assertThat(done.promoted()).extracting(FleetAdvance.TenantStep::tenant).containsExactly("umbrella");
      assertThat(done.outcome()).isEqualTo(FleetAdvance.Outcome.COMPLETE);
      assertThat(rollout.advance("saas", FleetFixture.image(1)).promoted()).isEmpty();

      List<RevCommit> log = log(dir.resolve("served/gitops.git"));
      // One commit per tenant, each with the fleet trailers; gold's two tenants landed in one push.
      assertThat(log.stream().filter(c -> c.getFullMessage().contains("Fleet: saas")).count()).isEqualTo(5);
      RevCommit globex = log.stream().filter(c -> c.getShortMessage().contains("globex")).findFirst().orElseThrow();
      assertThat(globex.getFullMessage()).contains("Wave: gold", "Initiated-By-Claim: alice", "nightly fleet job",
          "Promotion-Id: fleet-");

      FleetRollbackResult back = rollout.rollback("saas", null, "customers report slow invoices");
      assertThat(back.rolledBack()).extracting(FleetAdvance.TenantStep::tenant)
          .containsExactlyInAnyOrder("acme", "globex", "initech", "hooli", "umbrella");
      FleetState after = rollout.status("saas", FleetFixture.image(1).digest());
      assertThat(after.tenants()).allSatisfy(t -> assertThat(t.state()).isEqualTo(FleetState.State.ROLLED_BACK));
      assertThat(after.halt().reason()).contains("customers report slow invoices");
      assertThat(rollout.rollback("saas", FleetFixture.image(1).digest(), "customers report slow invoices")
          .rolledBack()).isEmpty();
      FleetAdvance halted = rollout.advance("saas", FleetFixture.image(1));
      assertThat(halted.outcome()).isEqualTo(FleetAdvance.Outcome.HALTED);
      assertThat(halted.exitCode()).isEqualTo(1);
    }
  }

  @Test
  void anOlderRolloutIsOverOnceTheFleetReleasedANewerDigest() throws Exception {
    try (GitDaemon daemon = FleetFixture.serve(dir); GitOpsRepository repo = cache(daemon)) {
      StepClock clock = new StepClock(Instant.parse("2026-12-05T12:00:00Z"));
      PromotionEngine engine = PromotionEngine.builder(repo).clock(clock).build();
      FleetRollout rollout = FleetRollout.builder(engine, repo).clock(clock).initiatorClaim("alice")
          .reason("nightly fleet job").build();
      assertThat(rollout.advance("saas", FleetFixture.image(1)).promoted()).extracting(FleetAdvance.TenantStep::tenant)
          .containsExactly("acme");
      clock.advance(Duration.ofHours(1));
      // A hotfix replaces it on the canary before the canary's soak is over.
      assertThat(rollout.advance("saas", FleetFixture.image(2)).promoted()).extracting(FleetAdvance.TenantStep::tenant)
          .containsExactly("acme");
      clock.advance(Duration.ofHours(3));

      // Carrying on with the first would send gold a release the canary moved past, with no soak of it anywhere.
      assertThatThrownBy(() -> rollout.advance("saas", FleetFixture.image(1)))
          .isInstanceOfSatisfying(io.odoogitops.ReleaseException.class, e -> assertThat(e.kind())
              .isEqualTo(io.odoogitops.ReleaseException.Kind.REFUSED))
          .hasMessageContaining("has released " + FleetFixture.image(2).shortDigest())
          .hasMessageContaining("nothing was promoted");
      assertThat(rollout.advance("saas", FleetFixture.image(2)).promoted()).extracting(FleetAdvance.TenantStep::tenant)
          .containsExactly("globex", "initech");
    }
  }

  @Test
  void aGateRefusalOtherThanAFreezeHaltsTheWaveBeforeAnythingOfItLands() throws Exception {
    java.util.Map<String, String> files = FleetFixture.files();
    files.put("odoo-gitops.yaml", FleetFixture.CONFIG.replace(
        "globex: { path: envs/globex, layout: kustomize, labels: { tier: gold } }",
        "globex: { path: envs/globex, layout: kustomize, labels: { tier: gold },"
            + " gate: { approvals: 1, approvers: [carol] } }"));
    Path served = seed(files, "gated globex");
    try (GitDaemon daemon = GitDaemon.start(served); GitOpsRepository repo = cache(daemon)) {
      StepClock clock = new StepClock(Instant.parse("2026-12-05T12:00:00Z"));
      FleetRollout rollout = clocked(repo, clock);
      assertThat(rollout.advance("saas", FleetFixture.image(1)).promoted()).hasSize(1);
      clock.advance(Duration.ofHours(3));

      FleetAdvance gold = rollout.advance("saas", FleetFixture.image(1));

      assertThat(gold.outcome()).isEqualTo(FleetAdvance.Outcome.HALTED);
      assertThat(gold.promoted()).isEmpty();
      assertThat(gold.failed()).singleElement().satisfies(f -> assertThat(f.detail())
          .contains("the gate of globex refused: approvals:"));
      assertThat(gold.state().halt().tenant()).isEqualTo("globex");
      assertThat(row(gold.state(), "initech").state()).isEqualTo(FleetState.State.WAITING);
      assertThat(row(gold.state(), "globex").state()).isEqualTo(FleetState.State.FAILED);
    }
  }

  @Test
  void waitBlocksThroughSoaksThatEndWithinIt() throws Exception {
    java.util.Map<String, String> files = FleetFixture.files();
    files.put("odoo-gitops.yaml", FleetFixture.CONFIG
        .replace("soak: 2h", "soak: PT1S").replace("soak: 4h", "soak: PT1S")
        .replace("- { name: year-end audit, from: 2026-12-01T00:00, to: 2026-12-10T08:00, timeZone:"
            + " America/New_York }", "- { name: long ago, from: 2020-12-01T00:00, to: 2020-12-10T08:00 }"));
    Path served = seed(files, "short soaks");
    try (GitDaemon daemon = GitDaemon.start(served); GitOpsRepository repo = cache(daemon)) {
      List<String> progress = new java.util.concurrent.CopyOnWriteArrayList<>();
      FleetRollout rollout = FleetRollout.builder(PromotionEngine.builder(repo).build(), repo).initiator("jenkins")
          .progress(progress::add).waitUpTo(Duration.ofSeconds(30)).build();

      FleetAdvance all = rollout.advance("saas", FleetFixture.image(1));

      assertThat(all.outcome()).as(String.join("\n", progress)).isEqualTo(FleetAdvance.Outcome.COMPLETE);
      assertThat(all.promoted()).hasSize(5);
      assertThat(progress).anyMatch(line -> line.startsWith("waiting ") && line.contains("for the soak of wave"));
    }
  }

  /** Rollbacks pass freezes: fleet rollback takes the release back from a tenant inside its own freeze window. */
  @Test
  void fleetRollbackRollsBackATenantInsideItsFreezeWindow() throws Exception {
    java.util.Map<String, String> files = FleetFixture.files();
    files.put("odoo-gitops.yaml", FleetFixture.CONFIG.replace(
        "hooli: { path: envs/hooli, layout: kustomize, labels: { tier: silver } }",
        "hooli: { path: envs/hooli, layout: kustomize, labels: { tier: silver }, freeze: [ { name: month-end close,"
            + " from: 2026-12-07T00:00, to: 2026-12-09T00:00, timeZone: Asia/Tokyo } ] }"));
    Path served = seed(files, "hooli closes");
    try (GitDaemon daemon = GitDaemon.start(served); GitOpsRepository repo = cache(daemon)) {
      StepClock clock = new StepClock(Instant.parse("2026-12-05T12:00:00Z"));
      FleetRollout rollout = clocked(repo, clock);
      rollout.advance("saas", FleetFixture.image(1));
      clock.advance(Duration.ofHours(2));
      rollout.advance("saas", FleetFixture.image(1));
      clock.advance(Duration.ofHours(4));
      assertThat(rollout.advance("saas", FleetFixture.image(1)).promoted())
          .extracting(FleetAdvance.TenantStep::tenant).containsExactly("hooli");

      // Inside hooli's month-end close (Tokyo): a promotion there would be queued, a rollback is not.
      clock.set(Instant.parse("2026-12-07T12:00:00Z"));
      io.odoogitops.policy.ReleasePolicy policy = io.odoogitops.policy.ReleasePolicy.of(
          io.odoogitops.config.ConfigLoader.load(files.get("odoo-gitops.yaml")
              .getBytes(java.nio.charset.StandardCharsets.UTF_8), "odoo-gitops.yaml"));
      assertThat(TenantFreeze.of(policy.schedule("hooli"), clock.instant()).frozen()).isTrue();

      FleetRollbackResult back = rollout.rollback("saas", FleetFixture.image(1).digest(), "invoices print blank");

      assertThat(back.rolledBack()).extracting(FleetAdvance.TenantStep::tenant)
          .containsExactlyInAnyOrder("acme", "globex", "initech", "hooli");
      FleetState after = rollout.status("saas", FleetFixture.image(1).digest());
      assertThat(row(after, "hooli").state()).isEqualTo(FleetState.State.ROLLED_BACK);
      assertThat(row(after, "hooli").running().value()).isEqualTo("sha256:" + "0".repeat(64));
      assertThat(row(after, "hooli").rollback().time().toInstant()).isEqualTo(clock.instant());
      RevCommit hooliBack = log(served.resolve("gitops.git")).stream()
          .filter(c -> c.getFullMessage().contains("Environment: hooli") && c.getFullMessage().contains("Rollback-Of:"))
          .findFirst().orElseThrow();
      assertThat(hooliBack.getCommitterIdent().getWhenAsInstant()).isEqualTo(clock.instant());
      assertThat(row(after, "umbrella").running().value()).as("never promoted, nothing to roll back")
          .isEqualTo("sha256:" + "0".repeat(64));
    }
  }

  /** Seeds {@code dir}/served/gitops.git with {@code files}; returns the directory to serve. */
  private Path seed(java.util.Map<String, String> files, String message) throws Exception {
    Path served = java.nio.file.Files.createDirectories(dir.resolve("served"));
    io.odoogitops.gitops.RepositorySeed.create(served.resolve("gitops.git"), "main", files, message);
    return served;
  }

  private GitOpsRepository cache(GitDaemon daemon) {
    return GitOpsRepository.open(new GitOpsRemote(daemon.url("gitops.git"), "main", GitCredentials.none(),
        dir.resolve("cache")));
  }

  private static FleetRollout clocked(GitOpsRepository repo, StepClock clock) {
    return FleetRollout.builder(PromotionEngine.builder(repo).clock(clock).build(), repo).clock(clock)
        .initiator("jenkins").build();
  }

  static FleetState.TenantState row(FleetState state, String tenant) {
    return state.tenants().stream().filter(t -> t.tenant().equals(tenant)).findFirst().orElseThrow();
  }

  static List<RevCommit> log(Path bare) throws Exception {
    try (Git git = Git.open(bare.toFile())) {
      List<RevCommit> out = new java.util.ArrayList<>();
      git.log().call().forEach(out::add);
      return out;
    }
  }
}
