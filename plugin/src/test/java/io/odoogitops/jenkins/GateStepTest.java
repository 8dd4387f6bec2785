package io.odoogitops.jenkins;

import static io.odoogitops.jenkins.GitOpsRepositoryFixture.DIGEST;
import static io.odoogitops.jenkins.GitOpsRepositoryFixture.IMAGE;
import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.Cause;
import hudson.model.CauseAction;
import hudson.model.Result;
import io.odoogitops.jenkins.gate.GateAction;
import java.nio.file.Path;
import org.htmlunit.HttpMethod;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * odooGate over HTTP: two approvals let the build through and land in the promotion commit; the build's starter and
 * the source author cannot approve; non-approvers cannot vote; one rejection aborts; votes need POST and the crumb.
 */
@WithJenkins
class GateStepTest {

  /** The gate outside any node block: the build waits without an executor. */
  static final String PIPELINE = """
      node { odooPromote environment: 'staging', application: 'odoo', image: '%s' }
      def gate = odooGate environment: 'production', application: 'odoo', image: '%s', sourceAuthor: 'carol'
      echo "gate ${gate.state} by ${gate.approvedBy}"
      node {
        def prod = odooPromote environment: 'production', application: 'odoo', image: '%s'
        echo "production ${prod.outcome}"
      }
      """.formatted(IMAGE, IMAGE, IMAGE);

  @TempDir
  Path tmp;

  private GitOpsRepositoryFixture repo;
  private JenkinsRule j;

  @BeforeEach
  void setUp(JenkinsRule rule) throws Exception {
    j = rule;
    repo = GitOpsRepositoryFixture.create(tmp, false);
    repo.configureJenkins();
    GateVotes.secure(j);
  }

  @Test
  void twoApprovalsProceedAndLandAsTrailers() throws Exception {
    WorkflowRun build = startAs("starter");
    GateAction gate = GateVotes.awaitGate(j, build);
    assertThat(gate.getState()).isEqualTo(GateAction.State.WAITING);
    assertThat(build.isBuilding()).isTrue();
    assertThat(busyExecutorsAfterSettling()).as("no executor held while waiting").isZero();

    assertThat(GateVotes.vote(j, build, "alice", "approve")).isEqualTo(302);
    assertThat(GateVotes.vote(j, build, "alice", "approve")).as("one vote per person").isEqualTo(409);
    assertThat(gate.getState()).isEqualTo(GateAction.State.WAITING);
    assertThat(GateVotes.vote(j, build, "bob", "approve")).isEqualTo(302);

    j.assertBuildStatusSuccess(j.waitForCompletion(build));
    j.assertLogContains("gate APPROVED by [alice, bob]", build);
    j.assertLogContains("production LANDED", build);
    assertThat(repo.headMessage()).contains("Environment: production", "Image-Digest: " + DIGEST,
        "Approved-By: alice", "Approved-By: bob");
  }

  @Test
  void theStarterAndTheSourceAuthorCannotApprove() throws Exception {
    WorkflowRun build = startAs("starter");
    GateAction gate = GateVotes.awaitGate(j, build);

    assertThat(GateVotes.vote(j, build, "starter", "approve")).isEqualTo(403);
    assertThat(GateVotes.vote(j, build, "carol", "approve")).isEqualTo(403);
    assertThat(GateVotes.vote(j, build, "mallory", "approve")).as("not among the policy's approvers")
        .isEqualTo(403);
    assertThat(GateVotes.vote(j, build, "dave", "approve")).as("no Jenkins permission").isEqualTo(403);
    assertThat(gate.getVotes()).isEmpty();
    assertThat(gate.getState()).isEqualTo(GateAction.State.WAITING);

    build.doStop();
    j.assertBuildStatus(Result.ABORTED, j.waitForCompletion(build));
    assertThat(gate.getState()).isEqualTo(GateAction.State.ABORTED);
  }

  @Test
  void oneRejectionAbortsTheBuild() throws Exception {
    WorkflowRun build = startAs("starter");
    GateAction gate = GateVotes.awaitGate(j, build);

    assertThat(GateVotes.vote(j, build, "alice", "approve")).isEqualTo(302);
    assertThat(GateVotes.vote(j, build, "bob", "reject")).isEqualTo(302);

    j.assertBuildStatus(Result.ABORTED, j.waitForCompletion(build));
    assertThat(gate.getState()).isEqualTo(GateAction.State.REJECTED);
    assertThat(gate.getOutcome()).contains("rejected by bob");
    assertThat(repo.headMessage()).doesNotContain("Environment: production");
  }

  @Test
  void votesNeedPostAndTheCrumb() throws Exception {
    WorkflowRun build = startAs("starter");
    GateAction gate = GateVotes.awaitGate(j, build);

    assertThat(GateVotes.forged(j, build, "alice", "approve", HttpMethod.GET)).isEqualTo(405);
    assertThat(GateVotes.forged(j, build, "alice", "approve", HttpMethod.POST)).isEqualTo(403);
    assertThat(gate.getVotes()).isEmpty();

    build.doStop();
    j.waitForCompletion(build);
  }

  @Test
  void promotingAGatedEnvironmentWithoutTheGateIsRefusedAtLanding() throws Exception {
    WorkflowJob job = j.createProject(WorkflowJob.class);
    job.setDefinition(new CpsFlowDefinition("""
        node {
          odooPromote environment: 'staging', application: 'odoo', image: '%s'
          odooPromote environment: 'production', application: 'odoo', image: '%s'
        }
        """.formatted(IMAGE, IMAGE), true));
    WorkflowRun build = j.waitForCompletion(job.scheduleBuild2(0).waitForStart());

    j.assertBuildStatus(Result.FAILURE, build);
    j.assertLogContains("refused: ", build);
    j.assertLogContains("approvals: 0 of 2", build);
    assertThat(repo.headMessage()).doesNotContain("Environment: production");
  }

  @Test
  void theTimeoutAbortsTheBuild() throws Exception {
    WorkflowJob job = j.createProject(WorkflowJob.class);
    job.setDefinition(new CpsFlowDefinition("""
        node { odooPromote environment: 'staging', application: 'odoo', image: '%s' }
        odooGate environment: 'production', application: 'odoo', image: '%s', timeoutMinutes: 1
        """.formatted(IMAGE, IMAGE), true));
    WorkflowRun build = job.scheduleBuild2(0, new CauseAction(new Cause.UserIdCause("starter"))).waitForStart();
    GateAction gate = GateVotes.awaitGate(j, build);

    j.assertBuildStatus(Result.ABORTED, j.waitForCompletion(build));
    assertThat(gate.getState()).isEqualTo(GateAction.State.TIMED_OUT);
  }

  @Test
  void aDigestNeverPromotedUpstreamIsRefusedWithoutWaiting() throws Exception {
    WorkflowJob job = j.createProject(WorkflowJob.class);
    job.setDefinition(new CpsFlowDefinition("""
        odooGate environment: 'production', application: 'odoo', image: '%s'
        """.formatted(IMAGE), true));
    WorkflowRun build = j.waitForCompletion(job.scheduleBuild2(0).waitForStart());

    j.assertBuildStatus(Result.FAILURE, build);
    j.assertLogContains("promote-from", build);
    assertThat(build.getAction(GateAction.class).getState()).isEqualTo(GateAction.State.REFUSED);
  }

  /** The staging node block has just released its executor; give the queue a moment to see it idle. */
  private int busyExecutorsAfterSettling() throws InterruptedException {
    for (int i = 0; i < 50 && j.jenkins.toComputer().countBusy() > 0; i++) {
      Thread.sleep(100);
    }
    return j.jenkins.toComputer().countBusy();
  }

  private WorkflowRun startAs(String user) throws Exception {
    WorkflowJob job = j.createProject(WorkflowJob.class);
    job.setDefinition(new CpsFlowDefinition(PIPELINE, true));
    return job.scheduleBuild2(0, new CauseAction(new Cause.UserIdCause(user))).waitForStart();
  }
}
