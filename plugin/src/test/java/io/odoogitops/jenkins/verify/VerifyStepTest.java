package io.odoogitops.jenkins.verify;

import static io.odoogitops.jenkins.testing.GitOpsRepositoryFixture.INITIAL_DIGEST;
import static io.odoogitops.jenkins.testing.GitOpsRepositoryFixture.REPOSITORY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hudson.AbortException;
import hudson.util.StreamTaskListener;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.odoogitops.ImageDigest;
import io.odoogitops.jenkins.repository.GitOpsAccess;
import io.odoogitops.jenkins.testing.GitOpsRepositoryFixture;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * odooVerify's work on the agent, without Jenkins: the environment's {@code cluster:} block read from a real GitOps
 * repository, the digest the commit put there, and the core's verifier against the fabric8 mock server (CRUD mode)
 * playing an Argo CD Application and a Deployment, reached with a bearer token as the global configuration gives it.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class VerifyStepTest {

  private static final String TOKEN = "verify-token-s3cret-value";
  private static final String OTHER_DIGEST = "sha256:" + "2".repeat(64);

  KubernetesMockServer server;
  KubernetesClient client;

  @TempDir
  Path tmp;

  private final ByteArrayOutputStream log = new ByteArrayOutputStream();
  private GitOpsRepositoryFixture repo;
  private ArgoCluster cluster;
  private String seed;

  @BeforeEach
  void setUp() throws Exception {
    cluster = new ArgoCluster(server, client);
    repo = GitOpsRepositoryFixture.create(tmp, ArgoCluster.PRODUCTION);
    seed = ArgoCluster.head(repo);
  }

  @Test
  void theCommitsDigestRunningAfterArgoAppliedItIsVerified() throws Exception {
    cluster.deployment(REPOSITORY + "@" + INITIAL_DIGEST);
    cluster.argoApplication(seed, "Synced", "Healthy");

    Map<String, Object> report = verify(new OdooVerifyStep("production", "odoo", seed));

    assertThat(report).containsEntry("verified", true).containsEntry("outcome", "VERIFIED")
        .containsEntry("environment", "production").containsEntry("application", "odoo")
        .containsEntry("commit", seed).containsEntry("digest", INITIAL_DIGEST)
        .containsEntry("rollback", null).containsEntry("rollbackCommit", null);
    assertThat(log()).contains("VERIFIED odoo in production").doesNotContain(TOKEN);
  }

  @Test
  void aWorkloadRunningAnotherDigestIsReportedNotVerified() throws Exception {
    cluster.deployment(REPOSITORY + "@" + OTHER_DIGEST);
    cluster.argoApplication(seed, "Synced", "Healthy");

    Map<String, Object> report = verify(new OdooVerifyStep("production", "odoo", seed));

    assertThat(report).containsEntry("verified", false).containsEntry("outcome", "DIGEST_MISMATCH")
        .containsEntry("digest", INITIAL_DIGEST).containsEntry("rollback", null);
    assertThat((String) report.get("detail")).contains(OTHER_DIGEST);
    assertThat(log()).doesNotContain(TOKEN);
  }

  @Test
  void theStepsDigestOverridesTheCommits() throws Exception {
    cluster.deployment(REPOSITORY + "@" + OTHER_DIGEST);
    cluster.argoApplication(seed, "Synced", "Healthy");
    OdooVerifyStep step = new OdooVerifyStep("production", "odoo", seed);
    step.setDigest(OTHER_DIGEST);

    assertThat(verify(step)).containsEntry("verified", true).containsEntry("digest", OTHER_DIGEST);
  }

  @Test
  void anEnvironmentWithoutAClusterBlockIsBadInputNamingWhatToAdd() {
    assertThatThrownBy(() -> verify(new OdooVerifyStep("staging", "odoo", seed)))
        .isInstanceOf(AbortException.class)
        .hasMessage("bad_input: environment 'staging' has no 'cluster:' block in odoo-gitops.yaml; add one"
            + " (namespace, workload, argo or flux; see docs/cluster.md)");
  }

  @Test
  void theClusterAccessNeverShowsItsToken() {
    assertThat(new ClusterAccess("https://k8s.example.com:6443", TOKEN, null).toString()).doesNotContain(TOKEN);
    assertThat(new ClusterAccess(null, null, null).toString()).contains("agent kubeconfig");
  }

  private Map<String, Object> verify(OdooVerifyStep step) throws Exception {
    GitOpsAccess access = new GitOpsAccess(repo.url, "main", null, null, null, null, null, false, "Release Bot",
        "release@example.com", tmp.resolve("cache").toString());
    return new OdooVerifyStep.VerifyCallable(access, new StreamTaskListener(log, StandardCharsets.UTF_8), step,
        step.getDigest() == null ? null : ImageDigest.parse(step.getDigest(), "digest"),
        new ClusterAccess(server.url("/"), TOKEN, null), "alice").call();
  }

  private String log() {
    return log.toString(StandardCharsets.UTF_8);
  }
}
