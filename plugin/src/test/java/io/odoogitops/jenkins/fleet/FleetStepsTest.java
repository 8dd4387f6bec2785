package io.odoogitops.jenkins.fleet;

import static io.odoogitops.jenkins.testing.GitOpsRepositoryFixture.DIGEST;
import static io.odoogitops.jenkins.testing.GitOpsRepositoryFixture.IMAGE;
import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.Result;
import io.odoogitops.jenkins.testing.GitOpsRepositoryFixture;
import java.nio.file.Path;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** odooFleetPromote and odooFleetStatus in real Pipelines against a real GitOps repository with a two-wave fleet. */
@WithJenkins
class FleetStepsTest {

  /** Closes the production block of the fixture's policy and adds a fleet: staging is the canary, then production. */
  private static final String FLEET = """
      fleets:
        saas:
          waves:
            - { name: canary, canary: true, environments: [staging], soak: 2h }
            - { name: prod, environments: [production] }
      """;

  @TempDir
  Path tmp;

  @Test
  void promoteAdvancesTheCanaryAndStatusShowsItSoaking(JenkinsRule j) throws Exception {
    GitOpsRepositoryFixture repo = GitOpsRepositoryFixture.create(tmp, FLEET);
    repo.configureJenkins();
    WorkflowRun build = run(j, """
        node {
          def step = odooFleetPromote fleet: 'saas', image: '%s', reason: 'nightly fleet release'
          echo "outcome ${step.outcome} promoted ${step.promoted.collect { it.tenant }} next ${step.nextWave}"
          def status = odooFleetStatus fleet: 'saas'
          echo "status ${status.digest} ${status.tenants.collect { it.tenant + '=' + it.state }}"
        }
        """.formatted(IMAGE));
    j.assertBuildStatusSuccess(build);
    j.assertLogContains("outcome ADVANCED promoted [staging] next prod", build);
    j.assertLogContains("status " + DIGEST + " [staging=soaking, production=waiting]", build);
    assertThat(repo.manifest("staging")).contains("digest: " + DIGEST);
  }

  @Test
  void aReportsDirectoryThatIsNotOneIsBadInput(JenkinsRule j) throws Exception {
    refused(j, "dryRunReports: 'no-such-dir'", "bad_input: dryRunReports", "is not a directory");
  }

  @Test
  void aRestorePointsDirectoryThatIsNotOneIsBadInput(JenkinsRule j) throws Exception {
    refused(j, "restorePoints: 'no-such-dir'", "bad_input: restorePoints", "'fleet restore-point take'");
  }

  @Test
  void theStepsKubernetesCredentialIsLookedUpForTheBuildAsOdooVerifysIs(JenkinsRule j) throws Exception {
    refused(j, "kubernetesCredentialsId: 'no-such-token'",
        "bad_input: the Kubernetes credentials 'no-such-token' do not exist");
  }

  /** odooFleetPromote with {@code parameters} fails the build with {@code expected} in its log, no stack trace. */
  private void refused(JenkinsRule j, String parameters, String... expected) throws Exception {
    GitOpsRepositoryFixture.create(tmp, FLEET).configureJenkins();
    WorkflowRun build = run(j, "node { odooFleetPromote fleet: 'saas', image: '" + IMAGE + "', " + parameters
        + " }");
    j.assertBuildStatus(Result.FAILURE, build);
    for (String text : expected) {
      j.assertLogContains(text, build);
    }
    j.assertLogNotContains("at io.odoogitops", build);
  }

  private static WorkflowRun run(JenkinsRule j, String script) throws Exception {
    WorkflowJob job = j.createProject(WorkflowJob.class);
    job.setDefinition(new CpsFlowDefinition(script, true));
    return j.waitForCompletion(job.scheduleBuild2(0).waitForStart());
  }
}
