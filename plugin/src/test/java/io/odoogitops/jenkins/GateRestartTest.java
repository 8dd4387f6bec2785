package io.odoogitops.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.Cause;
import hudson.model.CauseAction;
import io.odoogitops.jenkins.gate.GateAction;
import java.nio.file.Path;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.jvnet.hudson.test.junit.jupiter.JenkinsSessionExtension;

/** A build waiting at the gate survives a controller restart; the votes cast after it still release it. */
class GateRestartTest {

  @RegisterExtension
  private final JenkinsSessionExtension sessions = new JenkinsSessionExtension();

  @TempDir
  Path tmp;

  @Test
  void theGateSurvivesARestart() throws Throwable {
    GitOpsRepositoryFixture repo = GitOpsRepositoryFixture.create(tmp, false);
    sessions.then(j -> {
      repo.configureJenkins();
      GateVotes.secure(j);
      WorkflowJob job = j.createProject(WorkflowJob.class, "release");
      job.setDefinition(new CpsFlowDefinition(GateStepTest.PIPELINE, true));
      WorkflowRun build = job.scheduleBuild2(0, new CauseAction(new Cause.UserIdCause("starter"))).waitForStart();
      GateAction gate = GateVotes.awaitGate(j, build);
      assertThat(GateVotes.vote(j, build, "alice", "approve")).isEqualTo(302);
      assertThat(gate.getState()).isEqualTo(GateAction.State.WAITING);
    });
    sessions.then(j -> {
      WorkflowRun build = j.jenkins.getItemByFullName("release", WorkflowJob.class).getBuildByNumber(1);
      assertThat(build.isBuilding()).isTrue();
      GateAction gate = build.getAction(GateAction.class);
      assertThat(gate.getState()).isEqualTo(GateAction.State.WAITING);
      assertThat(gate.getVotes()).extracting(v -> v.getVoter()).containsExactly("alice");
      assertThat(GateVotes.vote(j, build, "bob", "approve")).isEqualTo(302);
      j.assertBuildStatusSuccess(j.waitForCompletion(build));
      assertThat(repo.headMessage()).contains("Approved-By: alice", "Approved-By: bob");
    });
  }
}
