package io.odoogitops.cluster;

import static io.odoogitops.cluster.FakeCluster.NAMESPACE;
import static io.odoogitops.cluster.FakeCluster.NEW_COMMIT;
import static io.odoogitops.cluster.FakeCluster.NEW_DIGEST;
import static io.odoogitops.cluster.FakeCluster.OLD_COMMIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.odoogitops.ReleaseException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The verifier against the fabric8 mock API server in CRUD mode; the test thread plays Argo CD, Flux and the
 * Deployment controller by advancing the objects' status while the verifier polls.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class ClusterVerifierIT {

  private static final Duration POLL = Duration.ofMillis(40);

  KubernetesMockServer server;
  KubernetesClient client;

  private FakeCluster cluster;
  private final List<String> progress = new CopyOnWriteArrayList<>();
  private final List<String> rollbacks = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() {
    cluster = new FakeCluster(server, client).withControllerCrds();
    cluster.deployment("odoo", 3);
  }

  private ClusterTarget argoTarget(Duration timeout) {
    return ClusterTarget.builder().namespace(NAMESPACE).workload("deployment/odoo")
        .argoApplication("shop-production", "argocd").timeout(timeout).pollInterval(POLL).build();
  }

  private ClusterVerifier verifier() {
    return new ClusterVerifier(client, progress::add, (env, app, reason) -> {
      rollbacks.add(env + "/" + app + "/" + reason);
      return "3333333333333333333333333333333333333333";
    });
  }

  private static VerificationRequest request(boolean autoRollback) {
    return new VerificationRequest("production", "shop", NEW_COMMIT, NEW_DIGEST, autoRollback);
  }

  private CompletableFuture<VerificationReport> verifyInBackground(ClusterTarget target, VerificationRequest request) {
    return CompletableFuture.supplyAsync(() -> verifier().verify(target, request));
  }

  @Test
  void argoApplicationSyncedHealthyAndDeploymentRolledOutIsVerified() throws Exception {
    cluster.argoApplication("shop-production", OLD_COMMIT, "Synced", "Healthy");
    var running = verifyInBackground(argoTarget(Duration.ofSeconds(30)), request(true));

    // Each state stays until the verifier reported seeing it, as a slow real cluster would let it.
    awaitProgress("Synced/Healthy at " + OLD_COMMIT);
    cluster.argoStatus("shop-production", OLD_COMMIT, "OutOfSync", "Healthy", null);
    awaitProgress("OutOfSync/Healthy at " + OLD_COMMIT);
    cluster.setImage("odoo", NEW_DIGEST);
    cluster.argoStatus("shop-production", NEW_COMMIT, "Synced", "Progressing", null);
    awaitProgress("Synced/Progressing at " + NEW_COMMIT);
    cluster.rollDeployment("odoo", 4, 1, 3);
    awaitProgress("1/3 updated");
    assertThat(running).isNotDone();
    cluster.rollDeployment("odoo", 3, 3, 3);
    awaitProgress("3/3 available, generation 2/2, digest in template");
    assertThat(running).as("Argo CD still reports Progressing").isNotDone();
    cluster.argoStatus("shop-production", NEW_COMMIT, "Synced", "Healthy", null);

    VerificationReport report = running.get(10, TimeUnit.SECONDS);
    assertThat(report.outcome()).isEqualTo(VerificationOutcome.VERIFIED);
    assertThat(report.verified()).isTrue();
    assertThat(report.workload().images()).containsExactly(FakeCluster.IMAGE + "@" + NEW_DIGEST);
    assertThat(report.controller().revision()).isEqualTo(NEW_COMMIT);
    assertThat(report.rollback()).isNull();
    assertThat(rollbacks).isEmpty();
    assertThat(progress).anyMatch(line -> line.startsWith("verified in"));
    assertThat(report.humanText()).startsWith("VERIFIED shop in production: commit " + NEW_COMMIT);
  }

  private void awaitProgress(String part) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (progress.stream().noneMatch(line -> line.contains(part))) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the verifier never reported '" + part + "'; it reported " + progress);
      }
      Thread.sleep(10);
    }
  }

  @Test
  void fluxKustomizationReadyAtTheCommitIsVerified() throws Exception {
    cluster.fluxKustomization("shop-production", OLD_COMMIT);
    ClusterTarget target = ClusterTarget.builder().namespace(NAMESPACE).workload("deploy/odoo")
        .fluxKustomization("shop-production", null).timeout(Duration.ofSeconds(20)).pollInterval(POLL).build();
    var running = verifyInBackground(target, new VerificationRequest("production", "shop",
        NEW_COMMIT.substring(0, 12), NEW_DIGEST, false));

    awaitProgress("Ready=True/ReconciliationSucceeded at main@sha1:" + OLD_COMMIT);
    cluster.fluxStatus("shop-production", OLD_COMMIT, NEW_COMMIT, "Unknown", "Progressing",
        "Reconciliation in progress");
    cluster.setImage("odoo", NEW_DIGEST);
    cluster.rollDeployment("odoo", 3, 3, 3);
    awaitProgress("3/3 available, generation 2/2, digest in template");
    assertThat(running).as("applied revision is still the old commit").isNotDone();
    cluster.fluxStatus("shop-production", NEW_COMMIT, NEW_COMMIT, "True", "ReconciliationSucceeded",
        "Applied revision: main@sha1:" + NEW_COMMIT);

    VerificationReport report = running.get(10, TimeUnit.SECONDS);
    assertThat(report.outcome()).isEqualTo(VerificationOutcome.VERIFIED);
    assertThat(report.controller().revision()).isEqualTo("main@sha1:" + NEW_COMMIT);
    assertThat(report.controller().controller()).isEqualTo("flux kustomization flux-system/shop-production");
  }

  @Test
  void degradedApplicationFailsWithPodReasonsAndEventsAndRollsBack() throws Exception {
    cluster.argoApplication("shop-production", OLD_COMMIT, "Synced", "Healthy");
    var running = verifyInBackground(argoTarget(Duration.ofSeconds(20)), request(true));

    awaitProgress("Synced/Healthy at " + OLD_COMMIT);
    cluster.setImage("odoo", NEW_DIGEST);
    cluster.rollDeployment("odoo", 4, 1, 3);
    cluster.crashingPod("odoo");
    cluster.argoStatus("shop-production", NEW_COMMIT, "Synced", "Degraded",
        "Deployment \"odoo\" exceeded its progress deadline");

    VerificationReport report = running.get(10, TimeUnit.SECONDS);
    assertThat(report.outcome()).isEqualTo(VerificationOutcome.CONTROLLER_FAILED);
    assertThat(report.detail()).contains("Degraded").contains("exceeded its progress deadline");
    assertThat(report.podProblems()).singleElement().satisfies(p -> {
      assertThat(p.pod()).isEqualTo("odoo-7c9d-x2x9z");
      assertThat(p.reason()).isEqualTo("CrashLoopBackOff");
      assertThat(p.exitCode()).isEqualTo(1);
      assertThat(p.restarts()).isEqualTo(4);
    });
    assertThat(report.events()).extracting(ClusterEvent::reason).containsExactly("BackOff");
    assertThat(report.controller().conditions()).extracting(Condition::type).contains("SyncError");

    assertThat(rollbacks).containsExactly("production/shop/verification-failed");
    assertThat(report.rollback().landed()).isTrue();
    assertThat(report.rollback().reason()).isEqualTo(RollbackTrigger.VERIFICATION_FAILED);

    assertThat(report.humanText())
        .contains("FAILED (CONTROLLER_FAILED)")
        .contains("odoo-7c9d-x2x9z/odoo waiting CrashLoopBackOff exit 1, 4 restarts")
        .contains("Warning BackOff Pod/odoo-7c9d-x2x9z (x4)")
        .contains("rolled back automatically (verification-failed): commit 3333333");
    assertThat(report.toJson())
        .contains("\"outcome\" : \"CONTROLLER_FAILED\"")
        .contains("\"reason\" : \"CrashLoopBackOff\"")
        .contains("\"commit\" : \"3333333333333333333333333333333333333333\"")
        .contains("\"type\" : \"SyncError\"")
        .doesNotContain("\"true\" :");
  }

  @Test
  void rolloutPastItsProgressDeadlineIsStuck() throws Exception {
    cluster.argoApplication("shop-production", NEW_COMMIT, "Synced", "Progressing");
    cluster.setImage("odoo", NEW_DIGEST);
    cluster.deploymentDeadlineExceeded("odoo");

    VerificationReport report = verifier().verify(argoTarget(Duration.ofSeconds(20)), request(false));

    assertThat(report.outcome()).isEqualTo(VerificationOutcome.ROLLOUT_STUCK);
    assertThat(report.detail()).contains("deployment/odoo rollout is stuck").contains("ProgressDeadlineExceeded");
    assertThat(report.workload().conditions()).extracting(Condition::reason)
        .containsExactly("ProgressDeadlineExceeded");
    assertThat(report.rollback()).as("auto-rollback was not asked for").isNull();
    assertThat(rollbacks).isEmpty();
  }

  @Test
  void nothingHappeningTimesOutWithWhatWasSeen() {
    cluster.argoApplication("shop-production", OLD_COMMIT, "Synced", "Healthy");
    long start = System.nanoTime();

    VerificationReport report = verifier().verify(argoTarget(Duration.ofMillis(400)), request(true));

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    assertThat(report.outcome()).isEqualTo(VerificationOutcome.TIMED_OUT);
    assertThat(report.detail()).contains("within PT0.4S").contains("at " + OLD_COMMIT)
        .contains("digest not in template yet");
    assertThat(rollbacks).containsExactly("production/shop/verification-failed");
  }

  @Test
  void fluxHealthCheckFailureOfTheCommitFails() {
    cluster.fluxKustomization("shop-production", OLD_COMMIT);
    cluster.fluxStatus("shop-production", OLD_COMMIT, NEW_COMMIT, "False", "HealthCheckFailed",
        "health check failed after 5m: timeout waiting for: [Deployment/shop/odoo status: 'InProgress']");
    ClusterTarget target = ClusterTarget.builder().namespace(NAMESPACE).workload("deployment/odoo")
        .fluxKustomization("shop-production", "flux-system").timeout(Duration.ofSeconds(20)).pollInterval(POLL)
        .build();

    VerificationReport report = verifier().verify(target, request(false));

    assertThat(report.outcome()).isEqualTo(VerificationOutcome.CONTROLLER_FAILED);
    assertThat(report.detail()).contains("HealthCheckFailed").contains("health check failed after 5m");
  }

  @Test
  void appliedCommitThatDoesNotChangeTheWorkloadIsADigestMismatch() {
    cluster.argoApplication("shop-production", NEW_COMMIT, "Synced", "Healthy");

    VerificationReport report = verifier().verify(argoTarget(Duration.ofSeconds(20)), request(false));

    assertThat(report.outcome()).isEqualTo(VerificationOutcome.DIGEST_MISMATCH);
    assertThat(report.detail()).contains("@" + FakeCluster.OLD_DIGEST);
  }

  @Test
  void failedRollbackIsReportedNotThrown() {
    cluster.argoApplication("shop-production", NEW_COMMIT, "Synced", "Degraded");
    ClusterVerifier verifier = new ClusterVerifier(client, progress::add, (env, app, reason) -> {
      throw ReleaseException.refused("no previous good digest of shop in production");
    });

    VerificationReport report = verifier.verify(argoTarget(Duration.ofSeconds(20)), request(true));

    assertThat(report.outcome()).isEqualTo(VerificationOutcome.CONTROLLER_FAILED);
    assertThat(report.rollback().landed()).isFalse();
    assertThat(report.rollback().error()).contains("no previous good digest");
    assertThat(report.humanText()).contains("automatic rollback FAILED: no previous good digest");
  }

  @Test
  void autoRollbackWithoutATriggerIsBadInput() {
    cluster.argoApplication("shop-production", NEW_COMMIT, "Synced", "Healthy");
    ClusterVerifier verifier = new ClusterVerifier(client, progress::add, null);

    assertThatThrownBy(() -> verifier.verify(argoTarget(Duration.ofSeconds(1)), request(true)))
        .isInstanceOfSatisfying(ReleaseException.class,
            e -> assertThat(e.kind()).isEqualTo(ReleaseException.Kind.BAD_INPUT));
  }

  @Test
  void missingControllerCrdIsBadInput() {
    server.reset(); // forget the CRDs registered in setUp
    ClusterVerifier verifier = verifier();

    assertThatThrownBy(() -> verifier.verify(argoTarget(Duration.ofSeconds(1)), request(false)))
        .isInstanceOfSatisfying(ReleaseException.class, e -> {
          assertThat(e.kind()).isEqualTo(ReleaseException.Kind.BAD_INPUT);
          assertThat(e.getMessage()).contains("does not serve applications.argoproj.io/v1alpha1")
              .contains("is Argo CD installed");
        });
  }

  @Test
  void missingApplicationOrWorkloadIsBadInput() {
    ClusterVerifier verifier = verifier();
    assertThatThrownBy(() -> verifier.verify(argoTarget(Duration.ofSeconds(1)), request(false)))
        .isInstanceOfSatisfying(ReleaseException.class, e -> {
          assertThat(e.kind()).isEqualTo(ReleaseException.Kind.BAD_INPUT);
          assertThat(e.getMessage()).contains("argo application argocd/shop-production does not exist");
        });

    cluster.argoApplication("shop-production", NEW_COMMIT, "Synced", "Healthy");
    ClusterTarget wrongWorkload = ClusterTarget.builder().namespace(NAMESPACE).workload("statefulset/odoo")
        .argoApplication("shop-production", "argocd").timeout(Duration.ofSeconds(1)).pollInterval(POLL).build();
    assertThatThrownBy(() -> verifier.verify(wrongWorkload, request(false)))
        .isInstanceOfSatisfying(ReleaseException.class, e -> {
          assertThat(e.kind()).isEqualTo(ReleaseException.Kind.BAD_INPUT);
          assertThat(e.getMessage()).contains("statefulset/odoo does not exist in namespace shop");
        });
  }

  @Test
  void rejectedTokenIs401BadInputWithoutTheToken() throws Exception {
    String token = "eyJhbGciOiJSUzI1NiJ9.very-secret-token";
    server.expect().get().withPath("/apis/argoproj.io/v1alpha1").andReturn(401, "Unauthorized").always();

    try (KubernetesClient byToken = ClusterConnection.token(server.url("/"), token, null).open()) {
      ClusterVerifier verifier = new ClusterVerifier(byToken, progress::add, null);
      assertThatThrownBy(() -> verifier.verify(argoTarget(Duration.ofSeconds(1)), request(false)))
          .isInstanceOfSatisfying(ReleaseException.class, e -> {
            assertThat(e.kind()).isEqualTo(ReleaseException.Kind.BAD_INPUT);
            assertThat(e.getMessage()).contains("401 Unauthorized").doesNotContain(token).doesNotContain("secret");
          });
    }
    assertThat(server.getLastRequest().getHeader("Authorization")).isEqualTo("Bearer " + token);
  }

  @Test
  void forbiddenReadIs403BadInputNamingWhatWasDenied() {
    cluster.argoApplication("shop-production", NEW_COMMIT, "Synced", "Healthy");
    server.expect().get().withPath("/apis/apps/v1/namespaces/shop/deployments/odoo").andReturn(403, "Forbidden")
        .always();

    assertThatThrownBy(() -> verifier().verify(argoTarget(Duration.ofSeconds(1)), request(false)))
        .isInstanceOfSatisfying(ReleaseException.class, e -> {
          assertThat(e.kind()).isEqualTo(ReleaseException.Kind.BAD_INPUT);
          assertThat(e.getMessage()).contains("cannot read deployment/odoo in namespace shop")
              .contains("403 Forbidden").contains("RBAC");
        });
  }

  @Test
  void unreachableApiServerIsInfrastructure() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    try (KubernetesClient nowhere = ClusterConnection.token("http://127.0.0.1:" + closedPort, "tok", null).open()) {
      ClusterVerifier verifier = new ClusterVerifier(nowhere, progress::add, null);
      assertThatThrownBy(() -> verifier.verify(argoTarget(Duration.ofSeconds(1)), request(false)))
          .isInstanceOfSatisfying(ReleaseException.class, e -> {
            assertThat(e.kind()).isEqualTo(ReleaseException.Kind.INFRASTRUCTURE);
            assertThat(e.getMessage()).contains("127.0.0.1:" + closedPort).contains("unreachable")
                .contains("connection refused");
          });
    }
  }
}
