package io.odoogitops.gitops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.odoogitops.ImageDigest;
import io.odoogitops.ImageRef;
import io.odoogitops.ReleaseException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;

/**
 * Issue 15 §4 against a real git daemon: trailers are a claim, the manifests are the fact. Forged trailers and direct
 * pushes are flagged in history and inert for rollback, {@code promoteFrom} and idempotency.
 */
class HistoryForgeryIT extends FixtureLifecycle {

  private static final String PRODUCTION = "envs/production/kustomization.yaml";
  private static final String STAGING = "envs/staging/kustomization.yaml";

  @Test
  void aTrailerOnlyCommitIsFlaggedAndNeitherRolledBackToNorTakenAsLanded() throws Exception {
    try (GitOpsRepository repo = fixture.open("a")) {
      PromotionEngine engine = fixture.engine(repo);
      promoteProduction(engine, 1, 2);
      // The forgery of the issue: a comment in the production kustomization, trailers naming a planted image.
      String planted = pushComment(PRODUCTION, "promote odoo to production: sha256:666666666666",
          trailers("planted", "production", 66, 2));

      List<HistoryEntry> history = engine.queries().history("production", null, 10);
      assertThat(history).extracting(HistoryEntry::commitId).first().isEqualTo(planted);
      HistoryEntry flagged = history.get(0);
      assertThat(flagged.sanctioned()).isFalse();
      assertThat(flagged.problem()).startsWith(ReleaseHistory.TRAILERS_DO_NOT_MATCH)
          .contains("the manifest names sha256:" + GitOpsFixture.digest(2).substring(0, 12));
      assertThat(history).filteredOn(HistoryEntry::sanctioned).extracting(HistoryEntry::promotionId)
          .containsExactly("p2", "p1");

      // Rollback never restores the planted image: the state before p2 is p1.
      PromotionResult rollback = engine.rollback(new RollbackRequest("production", "odoo", null, null, "oncall",
          null, null));
      assertThat(rollback.digest().value()).isEqualTo("sha256:" + GitOpsFixture.digest(1));
      assertThatThrownBy(() -> engine.rollback(new RollbackRequest("production", "odoo",
          "sha256:" + GitOpsFixture.digest(66), null, null, null, null)))
          .hasMessageContaining("not in the release history");
      assertThatThrownBy(() -> engine.rollback(new RollbackRequest("production", "odoo", "planted", null, null,
          null, null)))
          .hasMessageContaining("not in the release history");

      // Idempotency: the planted id never counts as landed; the real promotion with that id lands.
      PromotionResult real = engine.promote(Promotion.builder("production", "odoo", GitOpsFixture.image(3))
          .promotionId("planted").build());
      assertThat(real.outcome()).isEqualTo(PromotionResult.Outcome.LANDED);
      assertThat(remoteFile(PRODUCTION)).contains("digest: sha256:" + GitOpsFixture.digest(3));
    }
  }

  @Test
  void forgedRollbackTrailersThatChangeNothingDoNotDecideWhatRollbackRestores() throws Exception {
    try (GitOpsRepository repo = fixture.open("a")) {
      PromotionEngine engine = fixture.engine(repo);
      promoteProduction(engine, 1, 2, 3);
      // Claims the current digest (which matches the manifest) and that p2 was rolled back: the commit changes no
      // image, so it is no rollback, and p2 stays the state before p3.
      pushComment(PRODUCTION, "rollback odoo in production", "Promotion-Id: sneaky\nEnvironment: production\n"
          + "Application: odoo\nImage-Digest: sha256:" + GitOpsFixture.digest(3) + "\nRollback-Of: p2\n"
          + "Rollback-To: p3\n");
      assertThat(engine.queries().history("production", "odoo", 1).get(0).problem())
          .contains("does not change the image");
      assertThat(engine.rollback(new RollbackRequest("production", "odoo", null, null, null, null, null)).digest().value())
          .isEqualTo("sha256:" + GitOpsFixture.digest(2));
    }
  }

  @Test
  void promoteFromNeverAcceptsADigestStagingOnlyClaimedToRun() throws Exception {
    try (GitOpsRepository repo = fixture.open("a")) {
      PromotionEngine gated = PromotionEngine.builder(repo)
          .landingCheck(new GateCheck(GateCheck.Inputs.none(), Clock.systemUTC())).build();
      pushComment(STAGING, "promote odoo to staging", trailers("staged", "staging", 77, 0));
      Promotion toProduction = Promotion.builder("production", "odoo", GitOpsFixture.image(77)).initiator("carol")
          .build();
      int before = commitCount();
      assertThatThrownBy(() -> gated.promote(toProduction))
          .isInstanceOf(ReleaseException.class)
          .hasMessageContaining("promote-from");
      assertThat(commitCount()).isEqualTo(before);

      // The control: once staging really runs it, production accepts it.
      gated.promote(Promotion.builder("staging", "odoo", GitOpsFixture.image(77)).initiator("ci").build());
      assertThat(gated.promote(toProduction).outcome()).isEqualTo(PromotionResult.Outcome.LANDED);
    }
  }

  @Test
  void aDirectPushIsListedAsAnUnsanctionedChangeNewestFirst() throws Exception {
    try (GitOpsRepository repo = fixture.open("a")) {
      PromotionEngine engine = fixture.engine(repo);
      promoteProduction(engine, 1);
      String direct = push(PRODUCTION, remoteFile(PRODUCTION).replace(GitOpsFixture.digest(1),
          GitOpsFixture.digest(55)), "hotfix image by hand");
      engine.promote(Promotion.builder("production", "worker",
          new ImageRef("registry.example.com/acme/worker", null, new ImageDigest("sha256:" + GitOpsFixture.digest(7))))
          .promotionId("w7").build());

      List<HistoryEntry> history = engine.queries().history("production", null, 10);
      assertThat(history).extracting(HistoryEntry::kind).containsExactly("promote", "change", "promote");
      HistoryEntry change = history.get(1);
      assertThat(change.commitId()).isEqualTo(direct);
      assertThat(change.sanctioned()).isFalse();
      assertThat(change.problem()).isEqualTo(ReleaseHistory.UNEXPLAINED_CHANGE);
      assertThat(change.application()).isEqualTo("odoo");
      assertThat(change.digest().value()).isEqualTo("sha256:" + GitOpsFixture.digest(55));
      assertThat(change.previousDigest().value()).isEqualTo("sha256:" + GitOpsFixture.digest(1));
      assertThat(change.author()).isEqualTo("someone <someone@example.com>");
      assertThat(engine.queries().history("production", "worker", 10)).extracting(HistoryEntry::promotionId)
          .containsExactly("w7");

      // The last sanctioned state is what a rollback restores after a direct push.
      assertThat(engine.rollback(new RollbackRequest("production", "odoo", null, null, null, null, null)).digest().value())
          .isEqualTo("sha256:" + GitOpsFixture.digest(1));
    }
  }

  @Test
  void aPromotionIdThatLandedForAnotherPromotionIsRefusedNamingItsCommit() throws Exception {
    try (GitOpsRepository repo = fixture.open("a")) {
      PromotionEngine engine = fixture.engine(repo);
      PromotionResult staged = engine.promote(Promotion.builder("staging", "odoo", GitOpsFixture.image(1))
          .promotionId("rel-1").build());
      int before = commitCount();
      for (Promotion other : List.of(
          Promotion.builder("staging", "odoo", GitOpsFixture.image(2)).promotionId("rel-1").build(),
          Promotion.builder("production", "odoo", GitOpsFixture.image(1)).promotionId("rel-1").build(),
          Promotion.builder("staging", "worker", new ImageRef("registry.example.com/acme/worker", null,
              new ImageDigest("sha256:" + GitOpsFixture.digest(1)))).promotionId("rel-1").build())) {
        assertThatThrownBy(() -> engine.promote(other))
            .isInstanceOf(ReleaseException.class)
            .hasMessageContaining("promotion id 'rel-1' already landed in commit "
                + staged.commitId().substring(0, 12) + " for odoo in staging")
            .extracting(e -> ((ReleaseException) e).kind()).isEqualTo(ReleaseException.Kind.BAD_INPUT);
      }
      assertThatThrownBy(() -> engine.rollback(new RollbackRequest("staging", "odoo", null, null, null, null,
          "rel-1")))
          .extracting(e -> ((ReleaseException) e).kind()).isEqualTo(ReleaseException.Kind.BAD_INPUT);
      assertThat(commitCount()).isEqualTo(before);

      // The same promotion again stays a safe retry, and so does a rollback retried with its own id.
      assertThat(engine.promote(Promotion.builder("staging", "odoo", GitOpsFixture.image(1)).promotionId("rel-1")
          .build()).outcome()).isEqualTo(PromotionResult.Outcome.ALREADY_LANDED);
      engine.promote(Promotion.builder("staging", "odoo", GitOpsFixture.image(2)).promotionId("rel-2").build());
      RollbackRequest undo = new RollbackRequest("staging", "odoo", null, null, null, null, "undo-2");
      assertThat(engine.rollback(undo).outcome()).isEqualTo(PromotionResult.Outcome.LANDED);
      PromotionResult retried = engine.rollback(undo);
      assertThat(retried.outcome()).isEqualTo(PromotionResult.Outcome.ALREADY_LANDED);
      assertThat(retried.digest().value()).isEqualTo("sha256:" + GitOpsFixture.digest(1));
    }
  }

  @Test
  void rollbackRefusesAnImageOfAnotherRepositoryThanTheApplicationsConfiguredOne() throws Exception {
    try (GitOpsRepository repo = fixture.open("a")) {
      PromotionEngine engine = fixture.engine(repo);
      promoteProduction(engine, 1, 2);
      // The application moves to another registry; its history still names images of the old one.
      push("odoo-gitops.yaml", GitOpsFixture.CONFIG.replace("odoo: { image: registry.example.com/acme/odoo }",
          "odoo: { image: registry.example.com/acme/odoo-next, kustomizeName: registry.example.com/acme/odoo }"),
          "move odoo to the new registry");
      int before = commitCount();
      for (String to : new String[] {null, "p1", "sha256:" + GitOpsFixture.digest(1)}) {
        assertThatThrownBy(() -> engine.rollback(new RollbackRequest("production", "odoo", to, null, null, null,
            null)))
            .isInstanceOf(ReleaseException.class)
            .hasMessageContaining("the rollback target " + GitOpsFixture.REPO + ":17.0-build1@sha256:")
            .hasMessageContaining("is not an image of application 'odoo's repository"
                + " registry.example.com/acme/odoo-next")
            .extracting(e -> ((ReleaseException) e).kind()).isEqualTo(ReleaseException.Kind.REFUSED);
      }
      assertThat(commitCount()).isEqualTo(before);
    }
  }

  @Test
  void aCommitCheckDecidesWhichCommitsMayCountAtAll() throws Exception {
    try (GitOpsRepository repo = fixture.open("a")) {
      PromotionEngine engine = fixture.engine(repo);
      promoteProduction(engine, 1, 2);
      repo.requirePromotionCommits(commit -> commit.getFooterLines(Trailers.PROMOTION_ID).contains("p2")
          ? Optional.of("not signed by the release key") : Optional.empty());
      List<HistoryEntry> history = engine.queries().history("production", "odoo", 10);
      // The refused commit still changed the image: listed as the refused claim and as a change nothing explains.
      assertThat(history).extracting(HistoryEntry::problem).containsExactly("not signed by the release key",
          ReleaseHistory.UNEXPLAINED_CHANGE, null);
      // p2 does not count: p1 is the last sanctioned state, and it is not what runs, so rollback restores it.
      assertThat(engine.rollback(new RollbackRequest("production", "odoo", null, null, null, null, null)).digest().value())
          .isEqualTo("sha256:" + GitOpsFixture.digest(1));
    }
  }

  @Test
  void aTrailerWhoseDigestIsNoDigestIsFlaggedWithThatReasonAndCountsForNothing() throws Exception {
    try (GitOpsRepository repo = fixture.open("a")) {
      PromotionEngine engine = fixture.engine(repo);
      promoteProduction(engine, 1, 2);
      // A digest is parsed once, where the trailer is read: text that is not one makes the claim inert.
      String tag = pushComment(PRODUCTION, "promote odoo to production: 17.0", trailers("by-tag", "production", 2, 1)
          .replace("Image-Digest: sha256:" + GitOpsFixture.digest(2), "Image-Digest: 17.0-latest"));
      String previous = pushComment(PRODUCTION, "promote odoo to production", trailers("short", "production", 2, 1)
          .replace("Previous-Image-Digest: sha256:" + GitOpsFixture.digest(1), "Previous-Image-Digest: sha256:abc"));

      List<HistoryEntry> history = engine.queries().history("production", null, 10);
      assertThat(history).extracting(HistoryEntry::commitId).startsWith(previous, tag);
      assertThat(history.get(0).sanctioned()).isFalse();
      assertThat(history.get(0).previousDigest()).isNull();
      assertThat(history.get(0).problem()).isEqualTo(ReleaseHistory.TRAILERS_DO_NOT_MATCH
          + ": the Previous-Image-Digest trailer 'sha256:abc' is not an image digest (sha256: followed by 64"
          + " lowercase hex digits)");
      assertThat(history.get(1).sanctioned()).isFalse();
      assertThat(history.get(1).digest()).isNull();
      assertThat(history.get(1).problem()).contains("the Image-Digest trailer '17.0-latest' is not an image digest");
      assertThat(history).filteredOn(HistoryEntry::sanctioned).extracting(HistoryEntry::promotionId)
          .containsExactly("p2", "p1");
      // the history's text output names the missing digest instead of failing on it
      assertThat(ImageDigest.shortForm(history.get(1).digest())).isEqualTo("(none)");
      assertThat(engine.rollback(new RollbackRequest("production", "odoo", null, null, "oncall", null, null))
          .digest()).isEqualTo(GitOpsFixture.image(1).digest());
    }
  }

  /** Promotes odoo's images {@code n} to production in order, with promotion ids {@code p<n>}. */
  private static void promoteProduction(PromotionEngine engine, int... ns) {
    for (int n : ns) {
      engine.promote(Promotion.builder("production", "odoo", GitOpsFixture.image(n)).promotionId("p" + n).build());
    }
  }

  /** Trailers as a forger writes them: {@code previous} 0 leaves Previous-Image-Digest out. */
  private static String trailers(String id, String environment, int digest, int previous) {
    return "Promotion-Id: " + id + "\nEnvironment: " + environment + "\nApplication: odoo\nImage: "
        + GitOpsFixture.image(digest).pinned() + "\nImage-Digest: sha256:" + GitOpsFixture.digest(digest) + "\n"
        + (previous == 0 ? "" : "Previous-Image-Digest: sha256:" + GitOpsFixture.digest(previous) + "\n")
        + "Initiated-By: ci-bot\nApproved-By: dave\nApproved-By: erin\n";
  }

  private String pushComment(String path, String subject, String trailers) throws Exception {
    return push(path, remoteFile(path) + "# reviewed\n", subject + "\n\n" + trailers);
  }

  private String push(String path, String content, String message) throws Exception {
    Path work = tmp.resolve("direct-" + System.nanoTime());
    try (Git git = Git.cloneRepository().setURI(fixture.url).setDirectory(work.toFile()).call()) {
      Files.writeString(work.resolve(path), content);
      git.add().addFilepattern(path).call();
      RevCommit c = git.commit().setMessage(message).setAuthor("someone", "someone@example.com")
          .setCommitter("someone", "someone@example.com").call();
      git.push().call();
      return c.getName();
    }
  }

  private String remoteFile(String path) throws Exception {
    try (Git git = Git.open(fixture.root.resolve("served/gitops.git").toFile())) {
      var repo = git.getRepository();
      var tree = repo.parseCommit(repo.resolve("refs/heads/main")).getTree();
      try (var tw = org.eclipse.jgit.treewalk.TreeWalk.forPath(repo, path, tree)) {
        return new String(repo.open(tw.getObjectId(0)).getBytes(), java.nio.charset.StandardCharsets.UTF_8);
      }
    }
  }

  private int commitCount() throws Exception {
    try (Git git = Git.open(fixture.root.resolve("served/gitops.git").toFile())) {
      List<RevCommit> all = new ArrayList<>();
      git.log().call().forEach(all::add);
      return all.size();
    }
  }
}
