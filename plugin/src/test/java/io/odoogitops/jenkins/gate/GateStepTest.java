package io.odoogitops.jenkins.gate;

import static io.odoogitops.jenkins.testing.GitOpsRepositoryFixture.DIGEST;
import static io.odoogitops.jenkins.testing.GitOpsRepositoryFixture.IMAGE;
import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.Cause;
import hudson.model.CauseAction;
import hudson.model.Item;
import hudson.model.Result;
import hudson.model.User;
import hudson.security.ACL;
import hudson.security.ACLContext;
import io.odoogitops.jenkins.testing.GitOpsRepositoryFixture;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import jenkins.model.Jenkins;
import org.htmlunit.HttpMethod;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * odooGate over HTTP: two approvals let the build through and land in the promotion commit; the build's starter and
 * the source author cannot approve; non-approvers cannot vote; one rejection aborts; votes need POST and the crumb; a
 * vote reaches only its own build; a finished build takes no votes; Administer implies the approve permission; a
 * gate waiting on a freeze goes on when the freeze ends.
 */
@WithJenkins
class GateStepTest {

  /** The gate outside any node block: the build waits without an executor. */
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

  @Test
  void aVoteWakesOnlyTheRunItWasCastIn() throws Exception {
    WorkflowRun first = startAs("starter");
    GateAction firstGate = GateVotes.awaitGate(j, first);
    WorkflowJob other = j.createProject(WorkflowJob.class, "other");
    other.setDefinition(new CpsFlowDefinition("""
        def gate = odooGate environment: 'production', application: 'odoo', image: '%s'
        echo "other gate ${gate.state}"
        """.formatted(IMAGE), true));
    WorkflowRun second = other.scheduleBuild2(0, new CauseAction(new Cause.UserIdCause("starter"))).waitForStart();
    GateAction secondGate = GateVotes.awaitGate(j, second);

    assertThat(GateVotes.vote(j, first, "alice", "approve")).isEqualTo(302);
    assertThat(GateVotes.vote(j, first, "bob", "approve")).isEqualTo(302);
    j.assertBuildStatusSuccess(j.waitForCompletion(first));
    j.assertLogContains("odooGate: alice voted APPROVE", first);

    assertThat(second.isBuilding()).isTrue();
    assertThat(secondGate.getState()).isEqualTo(GateAction.State.WAITING);
    assertThat(secondGate.getVotes()).isEmpty();
    j.assertLogNotContains("voted", second);
    assertThat(firstGate.getId()).isNotEqualTo(secondGate.getId());

    assertThat(GateVotes.vote(j, second, "carol", "reject")).isEqualTo(302);
    j.assertBuildStatus(Result.ABORTED, j.waitForCompletion(second));
    j.assertLogContains("odooGate: carol voted REJECT", second);
    assertThat(firstGate.getState()).isEqualTo(GateAction.State.APPROVED);
  }

  @Test
  void aFinishedBuildIsNotVotable() throws Exception {
    WorkflowRun build = startAs("starter");
    GateAction gate = GateVotes.awaitGate(j, build);
    try (ACLContext alice = ACL.as2(User.getById("alice", true).impersonate2())) {
      assertThat(gate.isVotable()).isTrue();
    }

    build.doKill(); // ends the build without stopping its steps: the gate is left WAITING, as after a hard kill
    j.waitForCompletion(build);

    assertThat(gate.getState()).isEqualTo(GateAction.State.WAITING);
    try (ACLContext alice = ACL.as2(User.getById("alice", true).impersonate2())) {
      assertThat(gate.isVotable()).as("no vote buttons on a finished build").isFalse();
    }
    assertThat(GateVotes.vote(j, build, "alice", "approve")).isEqualTo(409);
    assertThat(GateVotes.responseTo(j, build, "bob", "approve")).contains("has finished");
    assertThat(gate.getVotes()).isEmpty();
  }

  @Test
  void administerImpliesApprove() throws Exception {
    j.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
        .grant(Jenkins.ADMINISTER).everywhere().to("root")
        .grant(Jenkins.READ, Item.READ, Item.BUILD).everywhere().to("dave"));
    WorkflowJob job = j.createProject(WorkflowJob.class, "gated");

    assertThat(GatePermissions.APPROVE.impliedBy).isSameAs(Jenkins.ADMINISTER);
    assertThat(job.getACL().hasPermission2(User.getById("root", true).impersonate2(), GatePermissions.APPROVE))
        .isTrue();
    assertThat(job.getACL().hasPermission2(User.getById("dave", true).impersonate2(), GatePermissions.APPROVE))
        .isFalse();
  }

  @Test
  void aGateWaitingOnAFreezeProceedsWhenTheFreezeEnds() throws Exception {
    // At least 20 s away, so the gate opens and both votes land inside the freeze; at most 80 s.
    ZoneId brussels = ZoneId.of("Europe/Brussels");
    LocalDateTime end = LocalDateTime.now(brussels).plusSeconds(80).truncatedTo(ChronoUnit.MINUTES);
    GitOpsRepositoryFixture.create(tmp.resolve("freeze"), """
            freeze:
              - name: closing
                from: 2000-01-01T00:00
                to: %s
            override: { approvals: 1, approvers: [user:carol] }
        """.formatted(end)).configureJenkins();
    WorkflowJob job = j.createProject(WorkflowJob.class, "closing");
    job.setDefinition(new CpsFlowDefinition("""
        node { odooPromote environment: 'staging', application: 'odoo', image: '%s' }
        def gate = odooGate environment: 'production', application: 'odoo', image: '%s',
            overrideJustification: 'the VAT fix must reach production before the month-end close'
        echo "gate ${gate.state} with ${gate.trailers}"
        """.formatted(IMAGE, IMAGE), true));
    WorkflowRun build = job.scheduleBuild2(0, new CauseAction(new Cause.UserIdCause("starter"))).waitForStart();
    GateAction gate = GateVotes.awaitGate(j, build);

    assertThat(GateVotes.vote(j, build, "alice", "approve")).isEqualTo(302);
    assertThat(GateVotes.vote(j, build, "bob", "approve")).isEqualTo(302);
    assertThat(gate.getState()).as("frozen, and the override has no approval").isEqualTo(GateAction.State.WAITING);

    j.assertBuildStatusSuccess(j.waitForCompletion(build));
    assertThat(Instant.now()).isAfterOrEqualTo(end.atZone(brussels).toInstant());
    assertThat(gate.getState()).isEqualTo(GateAction.State.APPROVED);
    j.assertLogContains("gate APPROVED", build);
    j.assertLogNotContains("Freeze-Override", build);
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
    job.setDefinition(new CpsFlowDefinition(GateVotes.PIPELINE, true));
    return job.scheduleBuild2(0, new CauseAction(new Cause.UserIdCause(user))).waitForStart();
  }
}
