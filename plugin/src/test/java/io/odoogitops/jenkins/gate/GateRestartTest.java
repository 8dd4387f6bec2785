package io.odoogitops.jenkins.gate;

import static org.assertj.core.api.Assertions.assertThat;

import io.odoogitops.jenkins.testing.GitOpsRepositoryFixture;
import java.nio.file.Path;
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
    String url = repo.url;
    sessions.then(j -> GateVotes.releaseWaitingWithOneVote(j, url));
    sessions.then(j -> {
      WorkflowRun build = GateVotes.resumedRelease(j);
      assertThat(build.getAction(GateAction.class).getVotes()).extracting(v -> v.getVoter()).containsExactly("alice");
      assertThat(GateVotes.vote(j, build, "bob", "approve")).isEqualTo(302);
      j.assertBuildStatusSuccess(j.waitForCompletion(build));
      assertThat(repo.headMessage()).contains("Approved-By: alice", "Approved-By: bob");
    });
  }
}
