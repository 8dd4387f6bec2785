package io.odoogitops.gitops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.odoogitops.ImageDigest;
import io.odoogitops.ImageRef;
import io.odoogitops.ReleaseException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;

class PromotionEngineIT extends FixtureLifecycle {

  @Test
  void promotionLandsAsOneCommitWithTrailersAndOnlyTheDigestBytesChange() throws Exception {
    try (GitOpsRepository repo = fixture.open("a")) {
      PromotionEngine engine = fixture.engine(repo);
      Promotion p = Promotion.builder("staging", "odoo", GitOpsFixture.image(1))
          .reason("release 17.0-build1").initiator("ci-bot").sourceRevision("abc123")
          .buildUrl("https://ci.example.com/job/1").trailer(Trailers.APPROVED_BY, "alice")
          .build();
      PromotionResult result = engine.promote(p);

      assertThat(result.outcome()).isEqualTo(PromotionResult.Outcome.LANDED);
      assertThat(result.previousDigest().value()).isEqualTo("sha256:" + GitOpsFixture.digest('0'));
      String before = GitOpsFixture.KUSTOMIZATION.formatted(GitOpsFixture.digest('0'), GitOpsFixture.digest('a'));
      String expected = before.replace("17.0-initial", "17.0-build1")
          .replaceFirst(GitOpsFixture.digest('0'), GitOpsFixture.digest(1));
      assertThat(remoteFile("envs/staging/kustomization.yaml")).isEqualTo(expected);
      assertThat(remoteFile("envs/production/kustomization.yaml")).isEqualTo(before);

      RevCommit head = remoteHead();
      assertThat(head.getName()).isEqualTo(result.commitId());
      assertThat(head.getFullMessage()).contains(
          "Promotion-Id: " + p.promotionId(), "Environment: staging", "Application: odoo",
          "Image: " + GitOpsFixture.image(1).pinned(), "Image-Digest: sha256:" + GitOpsFixture.digest(1),
          "Previous-Image-Digest: sha256:" + GitOpsFixture.digest('0'), "Source-Revision: abc123",
          "Build-Url: https://ci.example.com/job/1", "Approved-By: alice", "Initiated-By: ci-bot");
      assertThat(head.getParentCount()).isEqualTo(1);
    }
  }

  @Test
  void theBuildUrlTrailerNeverCarriesCredentials() throws Exception {
    try (GitOpsRepository repo = fixture.open("a")) {
      PromotionEngine engine = fixture.engine(repo);
      engine.promote(Promotion.builder("staging", "odoo", GitOpsFixture.image(1))
          .buildUrl("https://jenkins:s3cr3t@ci.example.com:8443/job/release/42/?token=tok3n#console").build());
      assertThat(remoteHead().getFullMessage()).contains("Build-Url: https://ci.example.com:8443/job/release/42/\n")
          .doesNotContain("s3cr3t").doesNotContain("tok3n").doesNotContain("jenkins");
      engine.rollback(new RollbackRequest("staging", "odoo", null, null, null,
          "https://u:s3cr3t@ci.example.com/job/rollback/7/", null));
      assertThat(remoteHead().getFullMessage()).contains("Build-Url: https://ci.example.com/job/rollback/7/\n")
          .doesNotContain("s3cr3t");
      int before = commitCount();
      assertThatThrownBy(() -> engine.promote(Promotion.builder("staging", "odoo", GitOpsFixture.image(2))
          .buildUrl("s3cr3t:not a url").build()))
          .isInstanceOf(ReleaseException.class).hasMessageContaining("build URL").hasMessageNotContaining("s3cr3t");
      assertThat(commitCount()).isEqualTo(before);
    }
  }

  @Test
  void samePromotionIdNeverLandsTwiceAndSameDigestIsANoOp() throws Exception {
    try (GitOpsRepository a = fixture.open("a"); GitOpsRepository b = fixture.open("b")) {
      Promotion p = Promotion.builder("staging", "odoo", GitOpsFixture.image(2)).promotionId("rel-2").build();
      assertThat(fixture.engine(a).promote(p).outcome()).isEqualTo(PromotionResult.Outcome.LANDED);
      PromotionResult again = fixture.engine(b).promote(p);
      assertThat(again.outcome()).isEqualTo(PromotionResult.Outcome.ALREADY_LANDED);
      assertThat(again.message()).contains("already landed");

      PromotionResult same = fixture.engine(b).promote(
          Promotion.builder("staging", "odoo", GitOpsFixture.image(2)).build());
      assertThat(same.outcome()).isEqualTo(PromotionResult.Outcome.NO_CHANGE);
      assertThat(same.message()).contains("already runs");
      assertThat(commitCount()).isEqualTo(2);
    }
  }

  @Test
  void rollbackRestoresThePreviousGoodDigestSkippingRolledBackPromotions() throws Exception {
    try (GitOpsRepository repo = fixture.open("a")) {
      PromotionEngine engine = fixture.engine(repo);
      for (int n = 1; n <= 3; n++) {
        engine.promote(Promotion.builder("production", "odoo", GitOpsFixture.image(n)).promotionId("p" + n).build());
      }
      // 1, 2, 3 -> rollback -> 2
      PromotionResult r1 = engine.rollback(new RollbackRequest("production", "odoo", null, "bad release", "oncall",
          null, null));
      assertThat(r1.digest().value()).isEqualTo("sha256:" + GitOpsFixture.digest(2));
      assertThat(remoteHead().getFullMessage()).contains("Rollback-Of: p3", "bad release");
      // -> rollback again -> 1 (p3 and p2 are both undone)
      PromotionResult r2 = engine.rollback(new RollbackRequest("production", "odoo", null, null, null, null, null));
      assertThat(r2.digest().value()).isEqualTo("sha256:" + GitOpsFixture.digest(1));
      // promote 4, rollback -> 1 again (2 and 3 stay undone)
      engine.promote(Promotion.builder("production", "odoo", GitOpsFixture.image(4)).promotionId("p4").build());
      PromotionResult r3 = engine.rollback(new RollbackRequest("production", "odoo", null, null, null, null, null));
      assertThat(r3.digest().value()).isEqualTo("sha256:" + GitOpsFixture.digest(1));
      // explicit target by promotion id, then by digest
      PromotionResult r4 = engine.rollback(new RollbackRequest("production", "odoo", "p3", null, null, null, null));
      assertThat(r4.digest().value()).isEqualTo("sha256:" + GitOpsFixture.digest(3));
      PromotionResult r5 = engine.rollback(new RollbackRequest("production", "odoo",
          "sha256:" + GitOpsFixture.digest(2), null, null, null, null));
      assertThat(r5.digest().value()).isEqualTo("sha256:" + GitOpsFixture.digest(2));
      // r4 took 1 away, so 1 is held: back to it only once the hold is lifted on purpose
      assertThatThrownBy(() -> engine.rollback(new RollbackRequest("production", "odoo", "p1", null, null, null,
          null))).isInstanceOf(ReleaseException.class).hasMessageContaining("is held");
      engine.releaseHold(new HoldReleaseRequest("production", "odoo", new ImageDigest("sha256:" + GitOpsFixture.digest(1)),
          "1 was fine; 3 was taken back for another reason", "oncall", false, null, "release-1"));
      // p1 is the first promotion: rolling it back restores the digest it replaced
      engine.rollback(new RollbackRequest("production", "odoo", "p1", null, null, null, null));
      PromotionResult r6 = engine.rollback(new RollbackRequest("production", "odoo", null, null, null, null, null));
      assertThat(r6.digest().value()).isEqualTo("sha256:" + GitOpsFixture.digest('0'));
      assertThat(remoteFile("envs/production/kustomization.yaml")).contains("digest: sha256:"
          + GitOpsFixture.digest('0'));

      assertThatThrownBy(() -> engine.rollback(new RollbackRequest("production", "odoo", "no-such-id", null, null,
          null, null)))
          .isInstanceOf(ReleaseException.class)
          .hasMessageContaining("not in the release history")
          .extracting(e -> ((ReleaseException) e).kind()).isEqualTo(ReleaseException.Kind.BAD_INPUT);
    }
  }

  @Test
  void historyIsNewestFirstAndIgnoresForgedTrailersOutsideTheEnvironmentPath() throws Exception {
    try (GitOpsRepository repo = fixture.open("a")) {
      PromotionEngine engine = fixture.engine(repo);
      engine.promote(Promotion.builder("production", "odoo", GitOpsFixture.image(1)).promotionId("p1").build());
      // A forged commit touching only README.md, with promotion trailers for production.
      commitDirectly("README.md", "changed\n", "docs\n\nPromotion-Id: forged\nEnvironment: production\n"
          + "Application: odoo\nImage-Digest: sha256:" + GitOpsFixture.digest(99) + "\n");
      engine.promote(Promotion.builder("production", "worker",
          new ImageRef("registry.example.com/acme/worker", null, new ImageDigest("sha256:" + GitOpsFixture.digest(7))))
          .promotionId("w7").build());
      engine.promote(Promotion.builder("production", "odoo", GitOpsFixture.image(2)).promotionId("p2").build());

      List<HistoryEntry> all = engine.queries().history("production", null, 10);
      assertThat(all).extracting(HistoryEntry::promotionId).containsExactly("p2", "w7", "p1");
      assertThat(engine.queries().history("production", "odoo", 10)).extracting(HistoryEntry::promotionId)
          .containsExactly("p2", "p1");
      assertThat(engine.rollback(new RollbackRequest("production", "odoo", null, null, null, null, null)).digest().value())
          .isEqualTo("sha256:" + GitOpsFixture.digest(1));
    }
  }

  @Test
  void badInputIsRefusedWithNothingPushed() throws Exception {
    try (GitOpsRepository repo = fixture.open("a")) {
      PromotionEngine engine = fixture.engine(repo);
      int before = commitCount();
      assertThatThrownBy(() -> engine.promote(Promotion.builder("qa", "odoo", GitOpsFixture.image(1)).build()))
          .hasMessageContaining("unknown environment 'qa'").hasMessageContaining("staging, production");
      assertThatThrownBy(() -> engine.promote(Promotion.builder("staging", "crm", GitOpsFixture.image(1)).build()))
          .hasMessageContaining("unknown application 'crm'");
      assertThatThrownBy(() -> engine.promote(Promotion.builder("staging", "odoo",
          new ImageRef("docker.io/evil/odoo", null, new ImageDigest("sha256:" + GitOpsFixture.digest(1)))).build()))
          .hasMessageContaining("is not from application 'odoo'");
      assertThat(commitCount()).isEqualTo(before);
    }
  }

  @Test
  void aMissingOrInvalidConfigurationIsBadInputWithItsLine() throws Exception {
    Map<String, String> files = GitOpsFixture.defaultFiles();
    files.remove("odoo-gitops.yaml");
    fixture.close();
    fixture = GitOpsFixture.start(tmp.resolve("noconfig"), files);
    try (GitOpsRepository repo = fixture.open("a")) {
      assertThatThrownBy(() -> fixture.engine(repo).promote(
          Promotion.builder("staging", "odoo", GitOpsFixture.image(1)).build()))
          .hasMessageContaining("odoo-gitops.yaml is missing at the root of " + fixture.url);
    }
    files.put("odoo-gitops.yaml", GitOpsFixture.CONFIG.replace("layout: kustomize }", "layout: kustomise }"));
    fixture.close();
    fixture = GitOpsFixture.start(tmp.resolve("badconfig"), files);
    try (GitOpsRepository repo = fixture.open("a")) {
      assertThatThrownBy(() -> fixture.engine(repo).promote(
          Promotion.builder("staging", "odoo", GitOpsFixture.image(1)).build()))
          .isInstanceOf(ReleaseException.class)
          .hasMessageContaining("odoo-gitops.yaml:8:")
          .hasMessageContaining("unknown layout 'kustomise'");
    }
  }

  @Test
  void symbolicLinksInTheEnvironmentPathAreRefused() throws Exception {
    Path work = tmp.resolve("links");
    try (Git git = Git.cloneRepository().setURI(fixture.url).setDirectory(work.toFile()).call()) {
      java.nio.file.Files.move(work.resolve("envs/production"), work.resolve("prod-real"));
      java.nio.file.Files.createSymbolicLink(work.resolve("envs/production"), Path.of("/etc"));
      git.add().addFilepattern(".").call();
      git.add().setUpdate(true).addFilepattern(".").call();
      git.commit().setMessage("link production elsewhere").setAuthor("x", "x@example.com")
          .setCommitter("x", "x@example.com").call();
      git.push().call();
    }
    try (GitOpsRepository repo = fixture.open("a")) {
      int before = commitCount();
      assertThatThrownBy(() -> fixture.engine(repo).promote(
          Promotion.builder("production", "odoo", GitOpsFixture.image(1)).build()))
          .isInstanceOf(ReleaseException.class)
          .hasMessageContaining("envs/production is a symbolic link")
          .extracting(e -> ((ReleaseException) e).kind()).isEqualTo(ReleaseException.Kind.BAD_INPUT);
      assertThat(commitCount()).isEqualTo(before);
    }
  }

  @Test
  void racingPromotersAllLandExactlyOnce() throws Exception {
    // Every other application in production: 16 applications, each promoted by its own "machine" (cache),
    // plus 8 promoters of the same application, all at once.
    restartWithApplications(16, "race");

    List<Callable<PromotionResult>> tasks = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      int n = i;
      tasks.add(() -> promoteFromOwnCache("m" + n, Promotion.builder("production", "app" + n,
          new ImageRef("registry.example.com/acme/app" + n, null, new ImageDigest("sha256:" + GitOpsFixture.digest(100 + n))))
          .promotionId("app-" + n).build()));
    }
    for (int i = 0; i < 8; i++) {
      int n = i;
      tasks.add(() -> promoteFromOwnCache("s" + (n % 4), Promotion.builder("production", "odoo",
          GitOpsFixture.image(200 + n)).promotionId("odoo-" + n).build()));
    }
    ExecutorService pool = Executors.newFixedThreadPool(24);
    List<PromotionResult> results = new ArrayList<>();
    try {
      for (Future<PromotionResult> f : pool.invokeAll(tasks)) {
        results.add(f.get());
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(results).allSatisfy(r -> assertThat(r.outcome()).isEqualTo(PromotionResult.Outcome.LANDED));
    assertThat(results).anySatisfy(r -> assertThat(r.attempts()).isGreaterThan(1));
    List<String> landedIds = new ArrayList<>();
    for (RevCommit c : remoteLog()) {
      landedIds.addAll(c.getFooterLines(Trailers.PROMOTION_ID));
    }
    assertThat(landedIds).hasSize(24).doesNotHaveDuplicates();
    String manifest = remoteFile("envs/production/kustomization.yaml");
    for (int i = 0; i < 16; i++) {
      assertThat(manifest).contains("registry.example.com/acme/app" + i + "\n    digest: sha256:"
          + GitOpsFixture.digest(100 + i));
    }
    // The same application ends on whichever of its promotions landed last.
    String lastOdoo = remoteLog().stream()
        .filter(c -> c.getFooterLines(Trailers.APPLICATION).contains("odoo"))
        .findFirst().orElseThrow().getFooterLines(Trailers.IMAGE_DIGEST).get(0);
    assertThat(manifest).contains("digest: " + lastOdoo);
  }

  @Test
  void aBurstOfPromotersOnSeparateMachinesAllLandExactlyOnceWithTheDefaultRetryPolicy() throws Exception {
    // 24 CI agents, each with its own cache, the engine as the CLI builds it: none may give up.
    restartWithApplications(12, "burst");

    List<Callable<PromotionResult>> tasks = new ArrayList<>();
    java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
    for (int i = 0; i < 24; i++) {
      int n = i;
      Promotion p = n < 12
          ? Promotion.builder("production", "app" + n, new ImageRef("registry.example.com/acme/app" + n, null,
              new ImageDigest("sha256:" + GitOpsFixture.digest(300 + n)))).promotionId("burst-app-" + n).build()
          : Promotion.builder("production", "odoo", GitOpsFixture.image(400 + n)).promotionId("burst-odoo-" + n)
              .build();
      tasks.add(() -> {
        try (GitOpsRepository repo = fixture.open("agent-" + n)) {
          PromotionEngine engine = PromotionEngine.builder(repo).build();
          go.await();
          return engine.promote(p);
        }
      });
    }
    ExecutorService pool = Executors.newFixedThreadPool(24);
    List<Future<PromotionResult>> futures = new ArrayList<>();
    try {
      tasks.forEach(t -> futures.add(pool.submit(t)));
      go.countDown();
      List<PromotionResult> results = new ArrayList<>();
      for (Future<PromotionResult> f : futures) {
        results.add(f.get());
      }
      assertThat(results).allSatisfy(r -> assertThat(r.outcome()).isEqualTo(PromotionResult.Outcome.LANDED));
    } finally {
      pool.shutdownNow();
    }
    List<String> landedIds = new ArrayList<>();
    for (RevCommit c : remoteLog()) {
      landedIds.addAll(c.getFooterLines(Trailers.PROMOTION_ID));
    }
    assertThat(landedIds).hasSize(24).doesNotHaveDuplicates();
  }

  @Test
  void gitServerStoppingMidRunNeverDuplicatesAndRetriesConverge() throws Exception {
    List<Promotion> promotions = new ArrayList<>();
    for (int n = 1; n <= 12; n++) {
      promotions.add(Promotion.builder("staging", "odoo", GitOpsFixture.image(n)).promotionId("f" + n).build());
    }
    Set<String> failed = new HashSet<>();
    try (GitOpsRepository repo = fixture.open("fault")) {
      PromotionEngine engine = fixture.engine(repo);
      for (int n = 0; n < promotions.size(); n++) {
        if (n == 5) {
          fixture.daemon.stop();
        }
        if (n == 9) {
          fixture.daemon.restart();
        }
        try {
          engine.promote(promotions.get(n));
        } catch (ReleaseException e) {
          assertThat(e.kind()).isEqualTo(ReleaseException.Kind.INFRASTRUCTURE);
          assertThat(e.getMessage()).contains("could not fetch from " + fixture.url);
          failed.add(promotions.get(n).promotionId());
        }
      }
      assertThat(failed).containsExactlyInAnyOrder("f6", "f7", "f8", "f9");
      // Retrying everything with the same ids: earlier ones are recognised, the failed ones land once.
      for (Promotion p : promotions) {
        PromotionResult r = engine.promote(p);
        assertThat(r.outcome()).isEqualTo(failed.contains(p.promotionId())
            ? PromotionResult.Outcome.LANDED : PromotionResult.Outcome.ALREADY_LANDED);
      }
    }
    List<String> ids = new ArrayList<>();
    remoteLog().forEach(c -> ids.addAll(c.getFooterLines(Trailers.PROMOTION_ID)));
    assertThat(ids).hasSize(12).doesNotHaveDuplicates();
  }

  /** Production only, with odoo, worker and {@code count} more applications app0…, each in the kustomization. */
  private void restartWithApplications(int count, String name) throws Exception {
    Map<String, String> files = GitOpsFixture.defaultFiles();
    StringBuilder apps = new StringBuilder("applications:\n  odoo: { image: registry.example.com/acme/odoo }\n");
    StringBuilder images = new StringBuilder(GitOpsFixture.KUSTOMIZATION.formatted(GitOpsFixture.digest('0'),
        GitOpsFixture.digest('a')));
    for (int i = 0; i < count; i++) {
      apps.append("  app").append(i).append(": { image: registry.example.com/acme/app").append(i).append(" }\n");
      images.append("  - name: registry.example.com/acme/app").append(i).append("\n    digest: sha256:")
          .append(GitOpsFixture.digest('b')).append('\n');
    }
    files.put("odoo-gitops.yaml", apps + "environments:\n  production: { path: envs/production, layout: kustomize }\n");
    files.put("envs/production/kustomization.yaml", images.toString());
    fixture.close();
    fixture = GitOpsFixture.start(tmp.resolve(name), files);
  }

  private PromotionResult promoteFromOwnCache(String cache, Promotion p) {
    try (GitOpsRepository repo = fixture.open(cache)) {
      return fixture.engine(repo).promote(p);
    }
  }

  private String remoteFile(String path) throws Exception {
    try (Git git = Git.open(fixture.root.resolve("served/gitops.git").toFile())) {
      var repo = git.getRepository();
      var tree = repo.parseCommit(repo.resolve("refs/heads/main")).getTree();
      try (var tw = org.eclipse.jgit.treewalk.TreeWalk.forPath(repo, path, tree)) {
        return new String(repo.open(tw.getObjectId(0)).getBytes(), StandardCharsets.UTF_8);
      }
    }
  }

  private RevCommit remoteHead() throws Exception {
    return remoteLog().get(0);
  }

  private List<RevCommit> remoteLog() throws Exception {
    try (Git git = Git.open(fixture.root.resolve("served/gitops.git").toFile())) {
      List<RevCommit> out = new ArrayList<>();
      git.log().call().forEach(out::add);
      return out;
    }
  }

  private int commitCount() throws Exception {
    return remoteLog().size();
  }

  private void commitDirectly(String path, String content, String message) throws Exception {
    Path work = tmp.resolve("direct-" + System.nanoTime());
    try (Git git = Git.cloneRepository().setURI(fixture.url).setDirectory(work.toFile()).call()) {
      java.nio.file.Files.writeString(work.resolve(path), content);
      git.add().addFilepattern(path).call();
      git.commit().setMessage(message).setAuthor("someone", "someone@example.com")
          .setCommitter("someone", "someone@example.com").call();
      git.push().call();
    }
  }
}
