package io.odoogitops.jenkins.rollback;

import static io.odoogitops.jenkins.testing.GitOpsRepositoryFixture.DIGEST;
import static io.odoogitops.jenkins.testing.GitOpsRepositoryFixture.IMAGE;
import static io.odoogitops.jenkins.testing.GitOpsRepositoryFixture.INITIAL_DIGEST;
import static org.assertj.core.api.Assertions.assertThat;

import io.odoogitops.jenkins.testing.GitOpsRepositoryFixture;
import io.odoogitops.jenkins.testing.Pipelines;
import java.nio.file.Path;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** odooRollback in a real Pipeline against a real GitOps repository. */
@WithJenkins
class RollbackStepTest {

  @TempDir
  Path tmp;

  @Test
  void aRollbackRestoresTheDigestBeforeThePromotion(JenkinsRule j) throws Exception {
    GitOpsRepositoryFixture repo = GitOpsRepositoryFixture.create(tmp, false);
    repo.configureJenkins();
    j.assertBuildStatusSuccess(Pipelines.run(j, """
        node { odooPromote environment: 'staging', application: 'odoo', image: '%s', promotionId: 'p-1' }
        """.formatted(IMAGE)));
    assertThat(repo.manifest("staging")).contains("digest: " + DIGEST);

    WorkflowRun rollback = Pipelines.run(j, """
        node {
          def back = odooRollback environment: 'staging', application: 'odoo', reason: 'incident 42'
          echo "restored ${back.digest}"
        }
        """);
    j.assertBuildStatusSuccess(rollback);
    j.assertLogContains("restored " + INITIAL_DIGEST, rollback);
    assertThat(repo.headMessage()).contains("Rollback-Of: p-1");
    assertThat(repo.manifest("staging")).contains("digest: " + INITIAL_DIGEST);
    j.assertLogContains("hold: holds " + DIGEST + " until released", rollback);

    WorkflowRun release = Pipelines.run(j, """
        node {
          def lifted = odooHoldRelease environment: 'staging', application: 'odoo', digest: '%s',
              reason: 'the incident had another cause', releaseId: 'r-1'
          echo "lifted ${lifted.outcome}"
        }
        """.formatted(DIGEST));
    j.assertBuildStatusSuccess(release);
    j.assertLogContains("released the hold on " + DIGEST, release);
    j.assertLogContains("lifted LANDED", release);
    assertThat(repo.headMessage()).contains("Hold-Release-Id: r-1", "Held-Digest: " + DIGEST, "Hold-Of: ");
  }
}
