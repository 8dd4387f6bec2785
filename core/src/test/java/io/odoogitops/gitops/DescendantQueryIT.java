package io.odoogitops.gitops;

import io.odoogitops.ImageDigest;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@link ReleaseQueries#atDescendant}: which commits count as the promotion commit or a later commit of the branch,
 * against a real repository served by git daemon on loopback.
 */
class DescendantQueryIT extends FixtureLifecycle {

  private static Promotion promotion(String env, int n) {
    return Promotion.builder(env, "odoo", GitOpsFixture.image(n)).initiator("ci").build();
  }

  private static Optional<ImageDigest> deployed(ReleaseQueries queries, String ancestor, String revision) {
    return queries.atDescendant(ancestor, revision, s -> s.deployed("production", "odoo").digest());
  }

  @Test
  void theCommitItselfAndLaterCommitsOfTheBranchAreReadWhereTheyAre() {
    try (GitOpsRepository repo = fixture.open("a")) {
      PromotionEngine engine = PromotionEngine.builder(repo).build();
      String first = engine.promote(promotion("production", 1)).commitId();
      String unrelated = engine.promote(promotion("staging", 2)).commitId();
      String replaced = engine.promote(promotion("production", 3)).commitId();
      ReleaseQueries queries = engine.queries();

      assertThat(deployed(queries, first, first)).contains(new ImageDigest("sha256:" + GitOpsFixture.digest(1)));
      assertThat(deployed(queries, first, unrelated)).contains(new ImageDigest("sha256:" + GitOpsFixture.digest(1)));
      assertThat(deployed(queries, first.substring(0, 10), replaced)).as("abbreviated ancestor")
          .contains(new ImageDigest("sha256:" + GitOpsFixture.digest(3)));
      assertThat(deployed(queries, replaced, first)).as("an older commit").isEmpty();
      assertThat(deployed(queries, first, "0".repeat(40))).as("unknown to the branch").isEmpty();
      assertThat(deployed(queries, first, "main")).as("not a commit id").isEmpty();
      assertThat(deployed(queries, first, "ffff")).as("too short to be an id").isEmpty();
    }
  }

  @Test
  void aCommitTheCacheHasNotSeenIsFetched() {
    try (GitOpsRepository mine = fixture.open("mine"); GitOpsRepository theirs = fixture.open("theirs")) {
      PromotionEngine engine = PromotionEngine.builder(mine).build();
      String promotion = engine.promote(promotion("production", 1)).commitId();
      String later = PromotionEngine.builder(theirs).build().promote(promotion("staging", 2)).commitId();

      assertThat(deployed(engine.queries(), promotion, later)).contains(new ImageDigest("sha256:" + GitOpsFixture.digest(1)));
      assertThat(mine.snapshot().commitId()).as("fetched").isEqualTo(later);
    }
  }

  @Test
  void aCacheNeverFetchedFetchesBeforeItLooks() {
    String promotion;
    String later;
    try (GitOpsRepository theirs = fixture.open("theirs")) {
      PromotionEngine engine = PromotionEngine.builder(theirs).build();
      promotion = engine.promote(promotion("production", 1)).commitId();
      later = engine.promote(promotion("staging", 2)).commitId();
    }
    // a new agent's first question ('verify --digest'): no query fetched its cache before
    try (GitOpsRepository fresh = fixture.open("fresh")) {
      assertThat(deployed(ReleaseQueries.of(fresh), promotion, later))
          .contains(new ImageDigest("sha256:" + GitOpsFixture.digest(1)));
      assertThat(fresh.snapshot().commitId()).as("fetched").isEqualTo(later);
    }
  }
}
