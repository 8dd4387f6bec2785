package io.odoogitops.jenkins.verify;

import static io.odoogitops.jenkins.testing.GitOpsRepositoryFixture.INITIAL_DIGEST;
import static io.odoogitops.jenkins.testing.GitOpsRepositoryFixture.REPOSITORY;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import hudson.model.Result;
import hudson.util.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.odoogitops.jenkins.config.OdooGitOpsConfiguration;
import io.odoogitops.jenkins.testing.GitOpsRepositoryFixture;
import io.odoogitops.jenkins.testing.Pipelines;
import java.nio.file.Path;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * odooVerify in a real Pipeline: the API server and its token from the global configuration and the credentials
 * store, the report returned when the release runs, the step failed (refused) when it does not. VerifyStepTest covers
 * the agent's work in detail.
 */
@WithJenkins
@EnableKubernetesMockClient(crud = true, https = false)
class VerifyStepPipelineTest {

  private static final String TOKEN = "verify-token-s3cret-value";

  KubernetesMockServer server;
  KubernetesClient client;

  @TempDir
  Path tmp;

  @Test
  void aReleaseRunningInTheClusterIsVerifiedAndOneThatIsNotFailsTheStep(JenkinsRule j) throws Exception {
    GitOpsRepositoryFixture repo = GitOpsRepositoryFixture.create(tmp, ArgoCluster.PRODUCTION);
    repo.configureJenkins();
    SystemCredentialsProvider.getInstance().getCredentials().add(new StringCredentialsImpl(CredentialsScope.GLOBAL,
        "k8s-verify-token", "odooVerify", Secret.fromString(TOKEN)));
    OdooGitOpsConfiguration.get().setKubernetesServerUrl(server.url("/"));
    OdooGitOpsConfiguration.get().setKubernetesCredentialsId("k8s-verify-token");
    ArgoCluster cluster = new ArgoCluster(server, client);
    String seed = ArgoCluster.head(repo);
    cluster.deployment(REPOSITORY + "@" + INITIAL_DIGEST);
    cluster.argoApplication(seed, "Synced", "Healthy");

    WorkflowRun verified = Pipelines.run(j, """
        node {
          def report = odooVerify environment: 'production', application: 'odoo', commit: '%s'
          echo "verified=${report.verified} ${report.outcome} ${report.digest}"
        }
        """.formatted(seed));
    j.assertBuildStatusSuccess(verified);
    j.assertLogContains("verified=true VERIFIED " + INITIAL_DIGEST, verified);
    j.assertLogNotContains(TOKEN, verified);

    WorkflowRun mismatch = Pipelines.run(j, """
        node { odooVerify environment: 'production', application: 'odoo', commit: '%s', digest: 'sha256:%s' }
        """.formatted(seed, "2".repeat(64)));
    j.assertBuildStatus(Result.FAILURE, mismatch);
    j.assertLogContains("refused: production/odoo is not running sha256:" + "2".repeat(64) + ": DIGEST_MISMATCH",
        mismatch);
    j.assertLogNotContains(TOKEN, mismatch);
  }
}
