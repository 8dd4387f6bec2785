package io.odoogitops.jenkins.freeze;

import hudson.model.Result;
import io.odoogitops.jenkins.testing.GitOpsRepositoryFixture;
import io.odoogitops.jenkins.testing.Pipelines;
import java.nio.file.Path;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** odooFreezeStatus in real Pipelines against a real GitOps repository. */
@WithJenkins
class FreezeStatusStepTest {

  @TempDir
  Path tmp;

  @Test
  void freezeStatusTellsThePipelineWhichWindowBlocksPromotions(JenkinsRule j) throws Exception {
    GitOpsRepositoryFixture.create(tmp, true).configureJenkins();
    WorkflowRun build = Pipelines.run(j, """
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
    WorkflowRun build = Pipelines.run(j, """
        node { odooFreezeStatus environment: 'production' }
        """);
    j.assertBuildStatus(Result.FAILURE, build);
    j.assertLogContains("no GitOps repository is configured", build);
  }
}
