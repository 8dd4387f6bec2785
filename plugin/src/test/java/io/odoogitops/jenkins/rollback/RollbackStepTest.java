package io.odoogitops.jenkins.rollback;

import static io.odoogitops.jenkins.testing.GitOpsRepositoryFixture.DIGEST;
import static io.odoogitops.jenkins.testing.GitOpsRepositoryFixture.IMAGE;
import static io.odoogitops.jenkins.testing.GitOpsRepositoryFixture.INITIAL_DIGEST;
import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.Result;
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

  @Test
  void aRestoreRequiredReleaseIsRefusedWithItsPlanInTheLogThenRolledBackImageOnly(JenkinsRule j) throws Exception {
    RestoreRequiredRelease release = RestoreRequiredRelease.create(tmp);
    GitOpsRepositoryFixture.configureJenkins(release.url);
    String before = release.head();

    WorkflowRun refused = Pipelines.run(j, """
        node { odooRollback environment: 'production', application: 'odoo', reason: 'invoices fail to post' }
        """);
    j.assertBuildStatus(Result.FAILURE, refused);
    j.assertLogContains("refused: rollback of odoo in production refused: the release ", refused);
    j.assertLogContains("RESTORE PLAN for odoo in production", refused);
    j.assertLogContains("pg_restore --jobs=2", refused);
    j.assertLogNotContains("at io.odoogitops", refused);
    assertThat(release.head()).isEqualTo(before);

    WorkflowRun imageOnly = Pipelines.run(j, """
        node {
          def back = odooRollback environment: 'production', application: 'odoo', reason: 'invoices fail to post',
              imageOnly: true, justification: 'fix forward with 17.0-3 (INC-42)'
          echo "image only ${back.outcome} ${back.digest}"
        }
        """);
    j.assertBuildStatusSuccess(imageOnly);
    j.assertLogContains("image only LANDED " + RestoreRequiredRelease.INITIAL, imageOnly);
    assertThat(release.head()).contains("Rollback-Of: p-2", "Rollback-Image-Only: true",
        "Image-Only-Justification: fix forward with 17.0-3 (INC-42)");
  }

  @Test
  void aRestoredDatabaseIsSwitchedByTheStep(JenkinsRule j) throws Exception {
    RestoreRequiredRelease release = RestoreRequiredRelease.create(tmp);
    GitOpsRepositoryFixture.configureJenkins(release.url);
    WorkflowRun restored = Pipelines.run(j, """
        node {
          odooRollback environment: 'production', application: 'odoo', reason: 'invoices fail to post',
              restoredDatabase: 'odoo-db-restore-20261130021507-rw.shop.svc'
        }
        """);
    j.assertBuildStatusSuccess(restored);
    assertThat(release.head()).contains("Restored-Database: odoo-db-restore-20261130021507-rw.shop.svc");
    assertThat(release.values()).contains("digest: " + RestoreRequiredRelease.INITIAL)
        .contains("host: \"odoo-db-restore-20261130021507-rw.shop.svc\"");
  }
}
