package io.odoogitops.gitops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.odoogitops.ReleaseException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What a killed promoter or a dropped connection leaves behind, against a real git daemon. */
class CacheFaultsIT extends FixtureLifecycle {

  @Test
  void lockFilesLeftByAKilledProcessAreRemovedAndFreshOnesKept() throws Exception {
    try (GitOpsRepository a = fixture.open("a")) {
      fixture.engine(a).promote(Promotion.builder("staging", "odoo", GitOpsFixture.image(1)).build());
    }
    // Another machine moves the branch, so the next fetch into cache "a" must update its tracking ref.
    try (GitOpsRepository b = fixture.open("b")) {
      fixture.engine(b).promote(Promotion.builder("staging", "odoo", GitOpsFixture.image(2)).build());
    }
    Path git = onlyCache("a").resolve("cache.git");
    // What kill -9 in the middle of a fetch and of a garbage collection leaves: lock files nobody will remove.
    Path refLock = stale(git.resolve("refs/remotes/origin/main.lock"));
    Path gcLock = stale(git.resolve("gc.log.lock"));
    Path fresh = Files.writeString(Files.createDirectories(git.resolve("refs/heads")).resolve("other.lock"), "x");

    try (GitOpsRepository a = fixture.open("a")) {
      PromotionResult r = fixture.engine(a).promote(Promotion.builder("staging", "odoo", GitOpsFixture.image(3))
          .build());
      assertThat(r.outcome()).isEqualTo(PromotionResult.Outcome.LANDED);
    }
    assertThat(refLock).doesNotExist();
    assertThat(gcLock).doesNotExist();
    assertThat(fresh).exists();
  }

  @Test
  void aTransportFailureNamesTheGeneratedPromotionIdToRetryWith() throws Exception {
    try (GitOpsRepository repo = fixture.open("a")) {
      PromotionEngine engine = fixture.engine(repo);
      engine.promote(Promotion.builder("staging", "odoo", GitOpsFixture.image(1)).build());
      fixture.daemon.stop();
      Promotion generated = Promotion.builder("staging", "odoo", GitOpsFixture.image(2)).build();
      assertThatThrownBy(() -> engine.promote(generated))
          .isInstanceOf(ReleaseException.class)
          .hasMessageContaining("retry with --promotion-id " + generated.promotionId())
          .extracting(e -> ((ReleaseException) e).kind()).isEqualTo(ReleaseException.Kind.INFRASTRUCTURE);
      assertThatThrownBy(() -> engine.rollback(new RollbackRequest("staging", "odoo", null, null, null, null, null)))
          .isInstanceOf(ReleaseException.class)
          .hasMessageMatching("(?s).*retry with --promotion-id [0-9a-f-]{36} .*");
      fixture.daemon.restart();
      assertThat(engine.promote(generated).outcome()).isEqualTo(PromotionResult.Outcome.LANDED);
      assertThat(engine.promote(generated).outcome()).isEqualTo(PromotionResult.Outcome.ALREADY_LANDED);
    }
  }

  private Path onlyCache(String name) throws Exception {
    try (var dirs = Files.list(tmp.resolve("caches").resolve(name))) {
      return dirs.filter(Files::isDirectory).findFirst().orElseThrow();
    }
  }

  private static Path stale(Path lock) throws Exception {
    Files.createDirectories(lock.getParent());
    Files.writeString(lock, "0000000000000000000000000000000000000000\n");
    Files.setLastModifiedTime(lock, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
    return lock;
  }
}
