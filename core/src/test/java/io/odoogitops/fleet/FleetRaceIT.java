package io.odoogitops.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.odoogitops.ReleaseException;
import io.odoogitops.gitops.GitCredentials;
import io.odoogitops.gitops.GitOpsRemote;
import io.odoogitops.gitops.GitOpsRepository;
import io.odoogitops.gitops.PromotionEngine;
import io.odoogitops.testing.GitDaemon;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code fleet promote} whose wave push races another run, against git daemon on loopback. The racing commit is
 * landed deterministically from inside this run's push round: the engine dates its commits by its clock, so a clock
 * that runs the other run on its first reading does so after this run fetched and before it pushed; the push is then
 * rejected (the branch moved) and the round is replayed on the new head.
 */
class FleetRaceIT {

  @TempDir Path dir;
  private GitDaemon daemon;
  private final StepClock clock = new StepClock(Instant.parse("2026-12-05T12:00:00Z"));
  private final List<String> progress = new CopyOnWriteArrayList<>();

  @BeforeEach
  void serve() throws Exception {
    daemon = FleetFixture.serve(dir);
  }

  @AfterEach
  void stop() {
    daemon.close();
  }

  /** The engine's clock: {@link #race} runs once, at the next reading. */
  private static final class RaceClock extends Clock {
    private final Clock time;
    private final AtomicReference<Runnable> next = new AtomicReference<>();

    RaceClock(Clock time) {
      this.time = time;
    }

    void race(Runnable other) {
      next.set(other);
    }

    @Override
    public Instant instant() {
      Runnable other = next.getAndSet(null);
      if (other != null) {
        other.run();
      }
      return time.instant();
    }

    @Override
    public ZoneId getZone() {
      return time.getZone();
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  private GitOpsRepository open(String cache) {
    return GitOpsRepository.open(new GitOpsRemote(daemon.url("gitops.git"), "main", GitCredentials.none(),
        dir.resolve(cache)));
  }

  private FleetRollout rollout(GitOpsRepository repo, Clock engineClock, String who) {
    PromotionEngine engine = PromotionEngine.builder(repo).clock(engineClock).progress(progress::add).build();
    return FleetRollout.builder(engine, repo).clock(clock).initiatorClaim(who).progress(progress::add).build();
  }

  /**
   * This run's rollout of image 1, its canary promoted and soaked, and another run advancing {@code other} armed to
   * race the next push of this run's engine.
   */
  private FleetRollout canaryDoneThenRacing(GitOpsRepository mine, GitOpsRepository theirs,
      io.odoogitops.ImageRef other) {
    RaceClock race = new RaceClock(clock);
    FleetRollout rollout = rollout(mine, race, "alice");
    assertThat(rollout.advance("saas", FleetFixture.image(1)).promoted()).extracting(FleetAdvance.TenantStep::tenant)
        .containsExactly("acme");
    clock.advance(Duration.ofHours(2));
    race.race(() -> rollout(theirs, clock, "bob").advance("saas", other));
    return rollout;
  }

  @Test
  void aHaltRecordedByAFleetRollbackWhileTheWaveIsPushedLandsNothing() throws Exception {
    try (GitOpsRepository mine = open("mine"); GitOpsRepository theirs = open("theirs")) {
      RaceClock race = new RaceClock(clock);
      FleetRollout rollout = rollout(mine, race, "alice");
      race.race(() -> rollout(theirs, clock, "bob").rollback("saas", FleetFixture.image(1).digest(),
          "support reports broken invoices in 17.0-build1"));

      FleetAdvance run = rollout.advance("saas", FleetFixture.image(1));

      assertThat(progress).as("the push raced").anySatisfy(line -> assertThat(line)
          .contains("the GitOps branch moved while landing"));
      assertThat(run.outcome()).as(String.join("\n", progress)).isEqualTo(FleetAdvance.Outcome.HALTED);
      assertThat(run.promoted()).isEmpty();
      assertThat(run.message()).contains("support reports broken invoices");
      assertThat(progress).anySatisfy(line -> assertThat(line).contains("another run halted the rollout while this"
          + " run landed a wave", "nothing of the wave was pushed"));
      assertThat(promotions()).as("no promotion landed").isEmpty();
      assertThat(queries(mine).current("acme", "odoo").digest()).isEqualTo(new io.odoogitops.ImageDigest("sha256:" + "0".repeat(64)));
    }
  }

  @Test
  void aNewerReleaseOfTheFleetWhileTheWaveIsPushedRefusesTheOlderRollout() throws Exception {
    try (GitOpsRepository mine = open("mine"); GitOpsRepository theirs = open("theirs")) {
      FleetRollout rollout = canaryDoneThenRacing(mine, theirs, FleetFixture.image(2));

      assertThatThrownBy(() -> rollout.advance("saas", FleetFixture.image(1)))
          .isInstanceOfSatisfying(ReleaseException.class, e -> {
            assertThat(e.kind()).isEqualTo(ReleaseException.Kind.REFUSED);
            assertThat(e.getMessage()).contains("has released " + FleetFixture.image(2).shortDigest(),
                "nothing was promoted");
          });
      assertThat(progress).anySatisfy(line -> assertThat(line).contains("the GitOps branch moved while landing"));
      assertThat(promotions()).as("only the canary of each release").hasSize(2);
      assertThat(queries(mine).current("globex", "odoo").digest()).isEqualTo(new io.odoogitops.ImageDigest("sha256:" + "0".repeat(64)));
    }
  }

  @Test
  void tenantsTheRacingRunPromotedAreNotPromotedTwice() throws Exception {
    try (GitOpsRepository mine = open("mine"); GitOpsRepository theirs = open("theirs")) {
      FleetRollout rollout = canaryDoneThenRacing(mine, theirs, FleetFixture.image(1));

      FleetAdvance run = rollout.advance("saas", FleetFixture.image(1));

      assertThat(progress).anySatisfy(line -> assertThat(line).contains("the GitOps branch moved while landing"));
      assertThat(run.outcome()).as(String.join("\n", progress)).isNotEqualTo(FleetAdvance.Outcome.HALTED);
      assertThat(run.promoted()).as("the other run promoted gold").isEmpty();
      List<String> promoted = promotions();
      assertThat(promoted).filteredOn(s -> s.contains("globex")).hasSize(1);
      assertThat(promoted).filteredOn(s -> s.contains("initech")).hasSize(1);
      assertThat(promoted).hasSize(3);
      assertThat(FleetRolloutIT.row(run.state(), "globex").state()).isIn(FleetState.State.VERIFIED,
          FleetState.State.SOAKING);
    }
  }

  private static io.odoogitops.gitops.ReleaseQueries queries(GitOpsRepository repo) {
    return io.odoogitops.gitops.ReleaseQueries.of(repo);
  }

  /** The subjects of the promotion commits on the served branch (record commits have no Image-Digest). */
  private List<String> promotions() throws Exception {
    try (Git git = Git.open(dir.resolve("served/gitops.git").toFile())) {
      List<String> subjects = new java.util.ArrayList<>();
      for (RevCommit c : git.log().call()) {
        if (c.getFullMessage().contains("Image-Digest:")) {
          subjects.add(c.getShortMessage());
        }
      }
      return subjects;
    }
  }
}
