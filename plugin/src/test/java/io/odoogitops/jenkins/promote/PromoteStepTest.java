package io.odoogitops.jenkins.promote;

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

/** odooPromote in real Pipelines against a real GitOps repository. */
@WithJenkins
class PromoteStepTest {

  @TempDir
  Path tmp;

  @Test
  void aPromotionLandsOnceWithItsTrailers(JenkinsRule j) throws Exception {
    GitOpsRepositoryFixture repo = GitOpsRepositoryFixture.create(tmp, false);
    repo.configureJenkins();
    WorkflowRun build = Pipelines.run(j, """
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
  }

  @Test
  void badInputFailsTheStepWithTheCoreMessageAndNoStackTrace(JenkinsRule j) throws Exception {
    GitOpsRepositoryFixture.create(tmp, false).configureJenkins();
    WorkflowRun build = Pipelines.run(j, """
        node { odooPromote environment: 'staging', application: 'odoo', image: 'registry.example.com/acme/odoo:latest' }
        """);
    j.assertBuildStatus(Result.FAILURE, build);
    j.assertLogContains("bad_input: ", build);
    j.assertLogNotContains("at io.odoogitops", build);
  }

  @Test
  void unknownEnvironmentIsNamedInTheFailure(JenkinsRule j) throws Exception {
    GitOpsRepositoryFixture.create(tmp, false).configureJenkins();
    WorkflowRun build = Pipelines.run(j, """
        node { odooPromote environment: 'prod', application: 'odoo', image: '%s' }
        """.formatted(IMAGE));
    j.assertBuildStatus(Result.FAILURE, build);
    j.assertLogContains("prod", build);
    j.assertLogContains("production", build);
  }
}
