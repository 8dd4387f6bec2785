package io.odoogitops.cluster;

import io.odoogitops.ImageDigest;
import static io.odoogitops.cluster.FakeCluster.NAMESPACE;
import static io.odoogitops.cluster.FakeCluster.NEW_DIGEST;
import static io.odoogitops.cluster.FakeCluster.OLD_DIGEST;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.odoogitops.ImageRef;
import io.odoogitops.gitops.GitCredentials;
import io.odoogitops.gitops.GitOpsRemote;
import io.odoogitops.gitops.GitOpsRepository;
import io.odoogitops.gitops.Promotion;
import io.odoogitops.gitops.PromotionEngine;
import io.odoogitops.gitops.RepositorySeed;
import io.odoogitops.testing.GitDaemon;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verification on a busy GitOps branch: a real repository served by git daemon on loopback, promotions landed by the
 * engine, and the fabric8 mock API server in CRUD mode, where the test plays Argo CD (or Flux) syncing a later head
 * than the promotion commit, as a real controller does when other commits land meanwhile.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class LaterRevisionsIT {

  private static final Duration POLL = Duration.ofMillis(40);
  private static final String IMAGE = FakeCluster.IMAGE;
  private static final String CONFIG = """
      timeZone: Europe/Brussels
      applications:
        shop: { image: %s }
      environments:
        staging: { path: envs/staging, layout: kustomize }
        production: { path: envs/production, layout: kustomize }
        demo: { path: envs/demo, layout: kustomize }
      """.formatted(IMAGE);

  KubernetesMockServer server;
  KubernetesClient client;

  @TempDir Path dir;
  private GitDaemon daemon;
  private GitOpsRepository repository;
  private PromotionEngine engine;
  private FakeCluster cluster;
  private final List<String> progress = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("odoo-gitops.yaml", CONFIG);
    for (String env : List.of("staging", "production", "demo")) {
      files.put("envs/" + env + "/kustomization.yaml", "images:\n  - name: " + IMAGE + "\n    digest: "
          + OLD_DIGEST + "\n");
    }
    Path served = Files.createDirectories(dir.resolve("served"));
    RepositorySeed.create(served.resolve("gitops.git"), "main", files, "initial GitOps repository");
    daemon = GitDaemon.start(served);
    repository = GitOpsRepository.open(new GitOpsRemote(daemon.url("gitops.git"), "main", GitCredentials.none(),
        dir.resolve("cache")));
    engine = PromotionEngine.builder(repository).build();
    cluster = new FakeCluster(server, client).withControllerCrds();
    cluster.deployment("odoo", 3);
  }

  @AfterEach
  void stop() {
    repository.close();
    daemon.close();
  }

  private String promote(String env, ImageDigest digest) {
    return engine.promote(Promotion.builder(env, "shop", new ImageRef(IMAGE, "17.0", digest)).initiator("ci")
        .build()).commitId();
  }

  private static ImageDigest digest(char c) {
    return new ImageDigest("sha256:" + String.valueOf(c).repeat(64));
  }

  private ClusterTarget argo(Duration timeout) {
    return ClusterTarget.builder().namespace(NAMESPACE).workload("deployment/odoo")
        .argoApplication("shop-production", "argocd").timeout(timeout).pollInterval(POLL).build();
  }

  private ClusterVerifier verifier(RollbackTrigger rollback) {
    return new ClusterVerifier(client, progress::add, rollback, LaterRevisions.of(engine.queries()));
  }

  /** What the controllers did once the newest head was synced: the Deployment runs {@code digest}, rolled out. */
  private void rolledOut(ImageDigest digest) {
    cluster.setImage("odoo", digest);
    cluster.rollDeployment("odoo", 3, 3, 3);
  }

  @Test
  void promotionIsVerifiedAtANewerHeadAfterThreeUnrelatedCommits() {
    String promotion = promote("production", NEW_DIGEST);
    promote("staging", digest('c'));
    promote("demo", digest('d'));
    String head = promote("staging", digest('e'));
    cluster.argoApplication("shop-production", head, "Synced", "Healthy");
    rolledOut(NEW_DIGEST);

    VerificationReport report = verifier(null).verify(argo(Duration.ofSeconds(20)),
        new VerificationRequest("production", "shop", promotion, NEW_DIGEST, false));

    assertThat(report.outcome()).as(String.join("\n", progress)).isEqualTo(VerificationOutcome.VERIFIED);
    assertThat(report.controller().revision()).isEqualTo(head);
    assertThat(report.supersededBy()).isNull();
    assertThat(progress).anySatisfy(line -> assertThat(line).contains("the controller synced " + head.substring(0, 12)
        + ", a later commit of the branch than " + promotion, "which still deploys " + NEW_DIGEST.value().substring(0, 19),
        "judging it there"));
  }

  @Test
  void aFailureAtALaterCommitThatStillDeploysTheDigestSaysWhereItWasJudged() {
    String promotion = promote("production", NEW_DIGEST);
    String head = promote("staging", digest('e'));
    cluster.argoApplication("shop-production", head, "Synced", "Degraded");
    rolledOut(NEW_DIGEST);

    VerificationReport report = verifier(null).verify(argo(Duration.ofSeconds(20)),
        new VerificationRequest("production", "shop", promotion, NEW_DIGEST, false));

    assertThat(report.outcome()).as(String.join("\n", progress)).isEqualTo(VerificationOutcome.CONTROLLER_FAILED);
    // another change landed in the later commit may be the cause: the release manager must know it
    assertThat(report.detail()).contains("judged at later commit " + head.substring(0, 12), "which still deploys "
        + NEW_DIGEST.value().substring(0, 19), "another change landed there may be the cause");
  }

  @Test
  void withoutTheRepositoryANewerHeadIsWaitedOutAsBefore() {
    String promotion = promote("production", NEW_DIGEST);
    String head = promote("staging", digest('c'));
    cluster.argoApplication("shop-production", head, "Synced", "Healthy");
    rolledOut(NEW_DIGEST);

    VerificationReport report = new ClusterVerifier(client, progress::add, null).verify(argo(Duration.ofMillis(600)),
        new VerificationRequest("production", "shop", promotion, NEW_DIGEST, false));

    assertThat(report.outcome()).isEqualTo(VerificationOutcome.TIMED_OUT);
  }

  @Test
  void aLaterPromotionOfTheSameEnvironmentSupersedesItWithoutRollback() {
    String promotion = promote("production", NEW_DIGEST);
    String later = promote("production", digest('c'));
    String head = promote("staging", digest('d'));
    cluster.argoApplication("shop-production", head, "Synced", "Healthy");
    rolledOut(digest('c'));
    List<String> rollbacks = new CopyOnWriteArrayList<>();
    GitOpsRollback real = new GitOpsRollback(engine, "verify");

    VerificationReport report = verifier((env, app, reason) -> {
      rollbacks.add(env);
      return real.rollback(env, app, reason);
    }).verify(argo(Duration.ofSeconds(20)), new VerificationRequest("production", "shop", promotion, NEW_DIGEST,
        true));

    assertThat(report.outcome()).as(String.join("\n", progress)).isEqualTo(VerificationOutcome.SUPERSEDED);
    assertThat(report.verified()).isFalse();
    assertThat(report.superseded()).isTrue();
    assertThat(report.supersededBy().commit()).isEqualTo(head);
    assertThat(report.supersededBy().digest()).isEqualTo(digest('c'));
    assertThat(report.supersededBy().changedBy()).isEqualTo(later);
    assertThat(report.detail()).contains("synced commit " + head.substring(0, 12), "runs " + digest('c')
        .value().substring(0, 19), "changed by commit " + later.substring(0, 12), "a later promotion or a rollback replaced",
        "nothing is rolled back");
    assertThat(report.rollback()).isNull();
    assertThat(rollbacks).as("no rollback of someone else's release").isEmpty();
    assertThat(engine.queries().<String>atHead(s -> s.commitId())).as("nothing was committed").isEqualTo(head);
    assertThat(engine.queries().current("production", "shop").digest()).isEqualTo(digest('c'));
    assertThat(report.humanText()).startsWith("SUPERSEDED shop in production: commit " + promotion);
    assertThat(report.toJson()).contains("\"outcome\" : \"SUPERSEDED\"", "\"changedBy\" : \"" + later + "\"");
  }

  @Test
  void aRollbackAfterThePromotionSupersedesIt() {
    promote("production", digest('c'));
    String promotion = promote("production", NEW_DIGEST);
    String rollback = engine.rollback(io.odoogitops.gitops.RollbackRequest.builder("production", "shop")
        .reason("login page broken").initiator("bob", false).build()).commitId();
    cluster.argoApplication("shop-production", rollback, "Synced", "Healthy");

    VerificationReport report = verifier(null).verify(argo(Duration.ofSeconds(20)),
        new VerificationRequest("production", "shop", promotion, NEW_DIGEST, false));

    assertThat(report.outcome()).isEqualTo(VerificationOutcome.SUPERSEDED);
    assertThat(report.supersededBy().digest()).isEqualTo(digest('c'));
    assertThat(report.supersededBy().changedBy()).isEqualTo(rollback);
  }

  @Test
  void anOlderRevisionKeepsItWaitingUntilTheTimeout() throws Exception {
    String before = promote("staging", digest('c'));
    String promotion = promote("production", NEW_DIGEST);
    cluster.argoApplication("shop-production", before, "Synced", "Healthy");

    VerificationReport report = verifier(null).verify(argo(Duration.ofMillis(800)),
        new VerificationRequest("production", "shop", promotion, NEW_DIGEST, false));

    assertThat(report.outcome()).isEqualTo(VerificationOutcome.TIMED_OUT);
    assertThat(report.detail()).contains("at " + before);
    assertThat(progress).noneSatisfy(line -> assertThat(line).contains("a later commit of the branch"));
  }

  @Test
  void aDescendantOnAnotherBranchKeepsItWaiting() throws Exception {
    String promotion = promote("production", NEW_DIGEST);
    // Someone branched off after the promotion and the controller follows that branch: not ours to judge.
    String elsewhere = commitOnOtherBranch(promotion);
    cluster.argoApplication("shop-production", elsewhere, "Synced", "Healthy");
    rolledOut(NEW_DIGEST);

    VerificationReport report = verifier(null).verify(argo(Duration.ofMillis(800)),
        new VerificationRequest("production", "shop", promotion, NEW_DIGEST, false));

    assertThat(report.outcome()).isEqualTo(VerificationOutcome.TIMED_OUT);
    assertThat(progress).noneSatisfy(line -> assertThat(line).contains("a later commit of the branch"));
  }

  @Test
  void fluxAtALaterHeadThatStillDeploysTheDigestIsVerified() {
    String promotion = promote("production", NEW_DIGEST);
    String head = promote("staging", digest('c'));
    cluster.fluxKustomization("shop-production", head);
    rolledOut(NEW_DIGEST);
    ClusterTarget flux = ClusterTarget.builder().namespace(NAMESPACE).workload("deployment/odoo")
        .fluxKustomization("shop-production", "flux-system").timeout(Duration.ofSeconds(20)).pollInterval(POLL)
        .build();

    VerificationReport report = verifier(null).verify(flux,
        new VerificationRequest("production", "shop", promotion.substring(0, 12), NEW_DIGEST, false));

    assertThat(report.outcome()).as(String.join("\n", progress)).isEqualTo(VerificationOutcome.VERIFIED);
    assertThat(report.controller().revision()).isEqualTo("main@sha1:" + head);
  }

  @Test
  void aLaterHeadPushedByAnotherMachineIsFetchedAndJudged() throws Exception {
    String promotion = promote("production", NEW_DIGEST);
    // Another machine lands a commit this cache has not fetched: the controller sees it first.
    try (GitOpsRepository other = GitOpsRepository.open(new GitOpsRemote(daemon.url("gitops.git"), "main",
        GitCredentials.none(), dir.resolve("other-cache")))) {
      String head = PromotionEngine.builder(other).build().promote(Promotion.builder("demo", "shop",
          new ImageRef(IMAGE, "17.0", digest('d'))).initiator("other").build()).commitId();
      cluster.argoApplication("shop-production", head, "Synced", "Healthy");
    }
    rolledOut(NEW_DIGEST);

    VerificationReport report = verifier(null).verify(argo(Duration.ofSeconds(20)),
        new VerificationRequest("production", "shop", promotion, NEW_DIGEST, false));

    assertThat(report.outcome()).as(String.join("\n", progress)).isEqualTo(VerificationOutcome.VERIFIED);
  }

  /** A commit on top of {@code parent} on branch {@code other} of the served repository, written there directly. */
  private String commitOnOtherBranch(String parent) throws Exception {
    try (Repository served = new FileRepositoryBuilder().setGitDir(dir.resolve("served/gitops.git").toFile())
        .build(); ObjectInserter inserter = served.newObjectInserter(); RevWalk walk = new RevWalk(served)) {
      RevCommit base = walk.parseCommit(ObjectId.fromString(parent));
      CommitBuilder commit = new CommitBuilder();
      commit.setTreeId(base.getTree());
      commit.setParentId(base);
      PersonIdent who = new PersonIdent("someone", "someone@example.com");
      commit.setAuthor(who);
      commit.setCommitter(who);
      commit.setMessage("an experiment on another branch\n");
      commit.setEncoding(StandardCharsets.UTF_8);
      ObjectId id = inserter.insert(commit);
      inserter.flush();
      RefUpdate update = served.updateRef(Constants.R_HEADS + "other");
      update.setNewObjectId(id);
      update.update();
      return id.name();
    }
  }
}
