package io.odoogitops.gitops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.odoogitops.ImageDigest;
import io.odoogitops.ReleaseException;
import io.odoogitops.audit.Audit;
import io.odoogitops.audit.AuditReport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Holds set by rollbacks, enforced by the gate at the push and lifted on purpose, against a real git daemon. */
class HoldsIT {

  static final String CONFIG = """
      applications:
        odoo: { image: registry.example.com/acme/odoo }
        worker: { image: registry.example.com/acme/worker }
      environments:
        staging: { path: envs/staging, layout: kustomize }
        production:
          path: envs/production
          layout: helm
          automation: { pinOnRollback: true, argocdApplication: argocd/production.yaml }
          cluster:
            namespace: shop
            workload: deployment/odoo
            argo: { application: shop-production, namespace: argocd }
        marked:
          path: envs/marked
          layout: kustomize
          automation: { pinOnRollback: true }
        unpinned: { path: envs/unpinned, layout: kustomize }
      """;

  static final String MARKED_KUSTOMIZATION = """
      apiVersion: kustomize.config.k8s.io/v1beta1
      kind: Kustomization
      images:
        - name: registry.example.com/acme/odoo
          newTag: "17.0-initial" # {"$imagepolicy": "flux-system:odoo:tag"}
          digest: sha256:%s # {"$imagepolicy": "flux-system:odoo:digest"}
        - name: registry.example.com/acme/worker
          digest: sha256:%s
      """;

  static final String VALUES = """
      # Helm values of production\r
      image:\r
        repository: registry.example.com/acme/odoo # {"$imagepolicy": "flux-system:odoo:name"}\r
        tag: "17.0-initial" # {"$imagepolicy": "flux-system:odoo:tag"}\r
        digest: sha256:%s\r
      worker:\r
        image: registry.example.com/acme/worker\r
      """;

  static final String APPLICATION = """
      apiVersion: argoproj.io/v1alpha1
      kind: Application
      metadata:
        name: shop-production
        namespace: argocd
        annotations:
          argocd-image-updater.argoproj.io/image-list: odoo=registry.example.com/acme/odoo:17.0
          argocd-image-updater.argoproj.io/odoo.update-strategy: digest
      spec:
        project: default
        source: { repoURL: https://git.example.com/gitops.git, path: envs/production }
      """;

  @TempDir Path tmp;
  GitOpsFixture fixture;
  GitOpsRepository repo;
  PromotionEngine engine;

  @BeforeEach
  void start() throws Exception {
    Map<String, String> files = GitOpsFixture.defaultFiles();
    files.put("odoo-gitops.yaml", CONFIG);
    files.put("envs/marked/kustomization.yaml", MARKED_KUSTOMIZATION.formatted(GitOpsFixture.digest('0'),
        GitOpsFixture.digest('a')));
    files.put("envs/unpinned/kustomization.yaml", MARKED_KUSTOMIZATION.formatted(GitOpsFixture.digest('0'),
        GitOpsFixture.digest('a')));
    files.put("envs/production/values.yaml", VALUES.formatted(GitOpsFixture.digest('0')));
    files.put("argocd/production.yaml", APPLICATION);
    fixture = GitOpsFixture.start(tmp, files);
    repo = fixture.open("holds");
    engine = gated(repo);
  }

  @AfterEach
  void stop() {
    if (repo != null) {
      repo.close();
    }
    if (fixture != null) {
      fixture.close();
    }
  }

  static PromotionEngine gated(GitOpsRepository repository) {
    return PromotionEngine.builder(repository).backoff(java.time.Duration.ofMillis(20),
        java.time.Duration.ofMillis(300)).landingCheck(new GateCheck(GateCheck.Inputs.none(), Clock.systemUTC()))
        .build();
  }

  static Promotion promotion(String environment, int image) {
    return Promotion.builder(environment, "odoo", GitOpsFixture.image(image)).initiatorClaim("ci").build();
  }

  static RollbackRequest rollback(String environment) {
    return new RollbackRequest(environment, "odoo", null, "bad release", "alice", null, null, true);
  }

  static HoldReleaseRequest release(String environment, int image, String id) {
    return new HoldReleaseRequest(environment, "odoo", GitOpsFixture.image(image).digest(), "fixed forward in 3",
        "bob", true, null, id);
  }

  @Test
  void aRolledBackDigestIsRefusedUntilTheHoldIsReleased() throws Exception {
    engine.promote(promotion("staging", 1));
    engine.promote(promotion("staging", 2));
    PromotionResult rolledBack = engine.rollback(rollback("staging"));
    ImageDigest held = GitOpsFixture.image(2).digest();
    assertThat(rolledBack.message()).contains("hold: holds " + held + " until released",
        "odoo-gitops hold release --env staging --app odoo --digest " + held);

    List<Hold> held2 = holds("staging", "odoo");
    assertThat(held2).singleElement().satisfies(h -> {
      assertThat(h.digest()).isEqualTo(held);
      assertThat(h.rollbackCommit()).isEqualTo(rolledBack.commitId());
      assertThat(h.rollbackId()).isEqualTo(rolledBack.promotionId());
    });
    assertThat(holds("staging", "worker")).isEmpty();

    assertThatThrownBy(() -> engine.promote(promotion("staging", 2)))
        .isInstanceOf(ReleaseException.class)
        .satisfies(e -> assertThat(((ReleaseException) e).kind()).isEqualTo(ReleaseException.Kind.REFUSED))
        .hasMessageContaining("hold: " + held + " is held: rollback commit " + rolledBack.commitId().substring(0, 12))
        .hasMessageContaining("odoo-gitops hold release --env staging --app odoo --digest " + held);
    // a rollback is never stopped by a hold: the held digest may be restored on purpose
    boolean rollbackAllowed = engine.queries().atHead(s -> new GateCheck(GateCheck.Inputs.none(), Clock.systemUTC())
        .decide(s, Promotion.builder("staging", "odoo", GitOpsFixture.image(2)).initiator("alice")
            .rollback(List.of(), null).build()).allowed());
    assertThat(rollbackAllowed).isTrue();
    // ...but a rollback --to the held digest would bring the release back without anyone lifting the hold
    int before = remoteMessages().size();
    assertThatThrownBy(() -> engine.rollback(new RollbackRequest("staging", "odoo", held.value(), "re-run of an old job",
        "alice", null, null, true)))
        .isInstanceOfSatisfying(ReleaseException.class, e -> assertThat(e.kind())
            .isEqualTo(ReleaseException.Kind.REFUSED))
        .hasMessageContaining("the rollback target " + GitOpsFixture.image(2).shortDigest() + " is held")
        .hasMessageContaining("nothing was committed")
        .hasMessageContaining("odoo-gitops hold release --env staging --app odoo --digest " + held);
    assertThat(remoteMessages()).hasSize(before);

    PromotionResult released = engine.releaseHold(release("staging", 2, "release-1"));
    assertThat(released.outcome()).isEqualTo(PromotionResult.Outcome.LANDED);
    assertThat(released.message()).contains("released the hold on " + held);
    assertThat(remoteMessages().get(0)).startsWith("release hold on odoo in staging: ")
        .contains("\n\nfixed forward in 3\n\n", "Hold-Release-Id: release-1\n", "Environment: staging\n",
            "Application: odoo\n", "Held-Digest: " + held + "\n", "Hold-Of: " + rolledBack.commitId() + "\n",
            "Hold-Release-Reason: fixed forward in 3\n", "Initiated-By-Claim: bob\n");
    assertThat(holds("staging", "odoo")).isEmpty();
    assertThat(engine.releaseHold(release("staging", 2, "release-1")).outcome())
        .isEqualTo(PromotionResult.Outcome.ALREADY_LANDED);

    assertThat(engine.promote(promotion("staging", 2)).outcome()).isEqualTo(PromotionResult.Outcome.LANDED);
  }

  @Test
  void promotingAnotherDigestLiftsTheHold() {
    engine.promote(promotion("staging", 1));
    engine.promote(promotion("staging", 2));
    engine.rollback(rollback("staging"));
    assertThat(holds("staging", "odoo")).hasSize(1);

    engine.promote(promotion("staging", 3));

    assertThat(holds("staging", "odoo")).isEmpty();
    assertThat(engine.promote(promotion("staging", 2)).outcome()).isEqualTo(PromotionResult.Outcome.LANDED);
    assertThatThrownBy(() -> engine.releaseHold(release("staging", 2, null)))
        .hasMessageContaining("no hold on " + GitOpsFixture.image(2).digest());
  }

  @Test
  void racingReleasesLandOnce() throws Exception {
    engine.promote(promotion("staging", 1));
    engine.promote(promotion("staging", 2));
    engine.rollback(rollback("staging"));

    int racers = 6;
    ExecutorService pool = Executors.newFixedThreadPool(racers);
    List<Future<PromotionResult>> results = new ArrayList<>();
    for (int i = 0; i < racers; i++) {
      int n = i;
      Callable<PromotionResult> race = () -> {
        try (GitOpsRepository own = fixture.open("racer-" + n)) {
          return gated(own).releaseHold(release("staging", 2, null));
        }
      };
      results.add(pool.submit(race));
    }
    List<PromotionResult.Outcome> outcomes = new ArrayList<>();
    for (Future<PromotionResult> f : results) {
      outcomes.add(f.get().outcome());
    }
    pool.shutdown();

    assertThat(outcomes).filteredOn(o -> o == PromotionResult.Outcome.LANDED).hasSize(1);
    assertThat(outcomes).filteredOn(o -> o == PromotionResult.Outcome.ALREADY_LANDED).hasSize(racers - 1);
    assertThat(remoteMessages()).filteredOn(m -> m.contains("\nHold-Of: ")).hasSize(1);
  }

  @Test
  void aRollbackPinsFluxMarkersInTheSameCommitAndTheReleaseRestoresThemByteForByte() throws Exception {
    engine.promote(promotion("marked", 1));
    engine.promote(promotion("marked", 2));
    String before = remoteFile("envs/marked/kustomization.yaml");
    PromotionResult rolledBack = engine.rollback(rollback("marked"));
    String id = rolledBack.promotionId();

    String pinned = remoteFile("envs/marked/kustomization.yaml");
    String expected = before
        .replace("sha256:" + GitOpsFixture.digest(2), "sha256:" + GitOpsFixture.digest(1))
        .replace("17.0-build2", "17.0-build1")
        .replace("# {\"$imagepolicy\"", "# odoo-gitops-hold " + id + " {\"$imagepolicy\"");
    assertThat(pinned).isEqualTo(expected);
    assertThat(rolledBack.message()).contains("automation: flux flux-system:odoo:tag at envs/marked/kustomization.yaml:5"
        + " pinned");
    assertThat(remoteMessages().get(0)).startsWith("rollback odoo in marked");

    PromotionResult released = engine.releaseHold(release("marked", 2, null));
    assertThat(released.message()).contains("automation restored in envs/marked/kustomization.yaml");
    assertThat(remoteFile("envs/marked/kustomization.yaml")).isEqualTo(expected
        .replace("odoo-gitops-hold " + id + " ", ""));
    assertThat(remoteFile(Holds.recordPath("marked", "odoo", rolledBack.commitId()))).contains("releaseId: ");

    // the release changed the environment's files: the audit accepts it because it only restored the pins
    AuditReport audit = Audit.builder(repo, "marked").build().run();
    assertThat(audit.unsanctioned()).isEmpty();
    assertThat(audit.sanctioned()).filteredOn(e -> e.kind().equals("hold-release")).singleElement()
        .satisfies(e -> assertThat(e.commitId()).isEqualTo(released.commitId()));

    // a commit that claims to release a hold but changes the environment otherwise is flagged
    engine.promote(promotion("marked", 3));
    engine.rollback(rollback("marked"));
    String rollback2 = remoteHead();
    String forged = directPush("envs/marked/kustomization.yaml", text -> text + "# and something else\n",
        Holds.recordPath("marked", "odoo", rollback2), "release hold\n\nHold-Release-Id: f1\nEnvironment: marked\n"
            + "Application: odoo\nHeld-Digest: " + GitOpsFixture.image(3).digest() + "\nHold-Of: " + rollback2 + "\n");
    AuditReport flagged = Audit.builder(fixture.open("auditor"), "marked").build().run();
    assertThat(flagged.unsanctioned()).singleElement().satisfies(e -> {
      assertThat(e.commitId()).isEqualTo(forged);
      assertThat(e.kind()).isEqualTo("hold-release");
      assertThat(e.reasons()).anySatisfy(r -> assertThat(r).contains("beyond restoring the automation markers"));
    });
  }

  @Test
  void aPromotionLiftsTheHoldButLeavesThePinsWhichAReleaseThenRestores() throws Exception {
    engine.promote(promotion("marked", 1));
    engine.promote(promotion("marked", 2));
    String before = remoteFile("envs/marked/kustomization.yaml");
    String id = engine.rollback(rollback("marked")).promotionId();
    engine.promote(promotion("marked", 3));
    assertThat(holds("marked", "odoo")).isEmpty();
    assertThat(remoteFile("envs/marked/kustomization.yaml")).contains("odoo-gitops-hold " + id);

    PromotionResult released = engine.releaseHold(release("marked", 2, null));

    assertThat(released.outcome()).isEqualTo(PromotionResult.Outcome.LANDED);
    assertThat(remoteFile("envs/marked/kustomization.yaml")).isEqualTo(before
        .replace("sha256:" + GitOpsFixture.digest(2), "sha256:" + GitOpsFixture.digest(3))
        .replace("17.0-build2", "17.0-build3"));
    assertThat(Audit.builder(repo, "marked").build().run().unsanctioned()).isEmpty();
    assertThatThrownBy(() -> engine.releaseHold(release("marked", 1, null))).hasMessageContaining("no hold on");
  }

  @Test
  void aRollbackPinsHelmValuesMarkersAndTheImageUpdaterApplicationByteForByte() throws Exception {
    engine.promote(Promotion.builder("production", "odoo", GitOpsFixture.image(1)).initiatorClaim("ci").build());
    engine.promote(Promotion.builder("production", "odoo", GitOpsFixture.image(2)).initiatorClaim("ci").build());
    String values = remoteFile("envs/production/values.yaml");
    PromotionResult rolledBack = engine.rollback(rollback("production"));
    String id = rolledBack.promotionId();

    String pinnedValues = remoteFile("envs/production/values.yaml");
    String expectedValues = values
        .replace("sha256:" + GitOpsFixture.digest(2), "sha256:" + GitOpsFixture.digest(1))
        .replace("17.0-build2", "17.0-build1")
        .replace("# {\"$imagepolicy\"", "# odoo-gitops-hold " + id + " {\"$imagepolicy\"");
    assertThat(pinnedValues).isEqualTo(expectedValues).contains("\r\n");
    String expectedApplication = APPLICATION.replace("update-strategy: digest\n", "update-strategy: digest\n"
        + "    argocd-image-updater.argoproj.io/odoo.ignore-tags: \"*\" # odoo-gitops-hold " + id + "\n");
    assertThat(remoteFile("argocd/production.yaml")).isEqualTo(expectedApplication);
    assertThat(rolledBack.message()).contains("automation: argocd-image-updater odoo at argocd/production.yaml:7"
        + " pinned");

    engine.releaseHold(release("production", 2, null));
    assertThat(remoteFile("argocd/production.yaml")).isEqualTo(APPLICATION);
    assertThat(remoteFile("envs/production/values.yaml"))
        .isEqualTo(expectedValues.replace("odoo-gitops-hold " + id + " ", ""));
  }

  @Test
  void withoutPinOnRollbackTheRollbackWarnsAndLeavesTheMarkers() throws Exception {
    engine.promote(promotion("unpinned", 1));
    engine.promote(promotion("unpinned", 2));

    PromotionResult rolledBack = engine.rollback(rollback("unpinned"));

    assertThat(rolledBack.message()).contains("automation: WARNING: flux flux-system:odoo:digest at"
        + " envs/unpinned/kustomization.yaml:6 manages this image and can promote past the hold",
        "automation: { pinOnRollback: true }");
    assertThat(remoteFile("envs/unpinned/kustomization.yaml")).doesNotContain("odoo-gitops-hold");
  }

  private List<Hold> holds(String environment, String application) {
    return engine.queries().<List<Hold>>atHead(s -> Holds.of(s, environment, application));
  }

  private String remoteHead() throws Exception {
    try (Git git = Git.open(tmp.resolve("served/gitops.git").toFile())) {
      return git.getRepository().resolve("refs/heads/main").name();
    }
  }

  /** A push past odoo-gitops: {@code edit} applied to {@code file}, {@code record} written, in a fresh clone. */
  private String directPush(String file, java.util.function.UnaryOperator<String> edit, String record,
      String message) throws Exception {
    Path clone = tmp.resolve("direct-" + System.nanoTime());
    try (Git git = Git.cloneRepository().setURI(fixture.url).setDirectory(clone.toFile()).call()) {
      java.nio.file.Files.writeString(clone.resolve(file), edit.apply(java.nio.file.Files.readString(clone.resolve(file))));
      java.nio.file.Files.createDirectories(clone.resolve(record).getParent());
      java.nio.file.Files.writeString(clone.resolve(record), "released\n");
      git.add().addFilepattern(".").call();
      String id = git.commit().setMessage(message).setAuthor("someone", "someone@example.com")
          .setCommitter("someone", "someone@example.com").setSign(false).call().getName();
      git.push().call();
      return id;
    }
  }

  private String remoteFile(String path) throws Exception {
    try (Git git = Git.open(tmp.resolve("served/gitops.git").toFile())) {
      var repository = git.getRepository();
      try (var walk = new org.eclipse.jgit.revwalk.RevWalk(repository)) {
        RevCommit head = walk.parseCommit(repository.resolve("refs/heads/main"));
        try (var tw = org.eclipse.jgit.treewalk.TreeWalk.forPath(repository, path, head.getTree())) {
          assertThat(tw).as(path + " at the remote head").isNotNull();
          return new String(repository.open(tw.getObjectId(0)).getBytes(), StandardCharsets.UTF_8);
        }
      }
    }
  }

  /** The remote branch's commit messages, newest first. */
  private List<String> remoteMessages() throws Exception {
    try (Git git = Git.open(tmp.resolve("served/gitops.git").toFile())) {
      List<String> out = new ArrayList<>();
      git.log().add(git.getRepository().resolve("refs/heads/main")).call().forEach(c -> out.add(c.getFullMessage()));
      return out;
    }
  }
}
