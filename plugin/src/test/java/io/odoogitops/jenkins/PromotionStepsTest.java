package io.odoogitops.jenkins;

import static io.odoogitops.jenkins.GitOpsRepositoryFixture.DIGEST;
import static io.odoogitops.jenkins.GitOpsRepositoryFixture.IMAGE;
import static io.odoogitops.jenkins.GitOpsRepositoryFixture.INITIAL_DIGEST;
import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.Result;
import java.nio.file.Path;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** odooPromote, odooRollback, odooHoldRelease and odooFreezeStatus in real Pipelines against a real GitOps repository. */
@WithJenkins
class PromotionStepsTest {

  @TempDir
  Path tmp;

  @Test
  void promotionLandsOnceAndRollbackRestoresThePreviousDigest(JenkinsRule j) throws Exception {
    GitOpsRepositoryFixture repo = GitOpsRepositoryFixture.create(tmp, false);
    repo.configureJenkins();
    WorkflowRun build = run(j, """
        node {
          def first = odooPromote environment: 'staging', application: 'odoo', image: '%s', promotionId: 'p-1',
              reason: 'release 17.0-1', sourceRevision: 'abc1234'
          echo "first ${first.outcome} ${first.previousDigest}"
          def again = odooPromote environment: 'staging', application: 'odoo', image: '%s', promotionId: 'p-1'
          echo "again ${again.outcome} ${again.commitId == first.commitId}"
        }
        """.formatted(IMAGE, IMAGE));
    j.assertBuildStatusSuccess(build);
    j.assertLogContains("first LANDED " + INITIAL_DIGEST, build);
    j.assertLogContains("again ALREADY_LANDED true", build);
    assertThat(repo.manifest("staging")).contains("digest: " + DIGEST);
    assertThat(repo.headMessage()).contains("Promotion-Id: p-1", "Image-Digest: " + DIGEST, "Source-Revision: abc1234",
        "Build-Url: ");

    WorkflowRun rollback = run(j, """
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

    WorkflowRun release = run(j, """
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
  void badInputFailsTheStepWithTheCoreMessageAndNoStackTrace(JenkinsRule j) throws Exception {
    GitOpsRepositoryFixture.create(tmp, false).configureJenkins();
    WorkflowRun build = run(j, """
        node { odooPromote environment: 'staging', application: 'odoo', image: 'registry.example.com/acme/odoo:latest' }
        """);
    j.assertBuildStatus(Result.FAILURE, build);
    j.assertLogContains("bad_input: ", build);
    j.assertLogNotContains("at io.odoogitops", build);
  }

  @Test
  void unknownEnvironmentIsNamedInTheFailure(JenkinsRule j) throws Exception {
    GitOpsRepositoryFixture.create(tmp, false).configureJenkins();
    WorkflowRun build = run(j, """
        node { odooPromote environment: 'prod', application: 'odoo', image: '%s' }
        """.formatted(IMAGE));
    j.assertBuildStatus(Result.FAILURE, build);
    j.assertLogContains("prod", build);
    j.assertLogContains("production", build);
  }

  @Test
  void freezeStatusTellsThePipelineWhichWindowBlocksPromotions(JenkinsRule j) throws Exception {
    GitOpsRepositoryFixture.create(tmp, true).configureJenkins();
    WorkflowRun build = run(j, """
        node {
          def prod = odooFreezeStatus environment: 'production'
          def staging = odooFreezeStatus environment: 'staging'
          echo "production frozen=${prod.frozen} promote=${prod.promoteBlocked}"
          echo "rollback=${prod.rollbackBlocked} by ${prod.windows}"
          echo "staging frozen=${staging.frozen}"
        }
        """);
    j.assertBuildStatusSuccess(build);
    j.assertLogContains("production frozen=true promote=true", build);
    j.assertLogContains("rollback=false by [always]", build);
    j.assertLogContains("staging frozen=false", build);
  }

  @Test
  void withoutConfigurationTheStepSaysWhereToSetIt(JenkinsRule j) throws Exception {
    WorkflowRun build = run(j, """
        node { odooFreezeStatus environment: 'production' }
        """);
    j.assertBuildStatus(Result.FAILURE, build);
    j.assertLogContains("no GitOps repository is configured", build);
  }

  private static WorkflowRun run(JenkinsRule j, String script) throws Exception {
    WorkflowJob job = j.createProject(WorkflowJob.class);
    job.setDefinition(new CpsFlowDefinition(script, true));
    return j.waitForCompletion(job.scheduleBuild2(0).waitForStart());
  }
}
