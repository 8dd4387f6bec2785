package io.odoogitops.jenkins.gate;

import static org.assertj.core.api.Assertions.assertThat;

import io.odoogitops.jenkins.testing.GitOpsRepositoryFixture;
import java.nio.file.Path;
import java.util.ArrayList;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.RealJenkinsExtension;

/**
 * A build waiting at the gate survives a controller crash: the Jenkins process is killed (no shutdown, nothing saved
 * on the way out) while the gate waits with one vote, and the restarted controller reopens the same gate, with the
 * same id, deadline and vote; the next vote releases it. GateRestartTest covers the clean restart.
 */
class GateCrashTest {

  @RegisterExtension
  private final RealJenkinsExtension controller = new RealJenkinsExtension();

  @TempDir
  Path tmp;

  @Test
  void theGateReopensIdenticallyAfterACrash() throws Throwable {
    GitOpsRepositoryFixture repo = GitOpsRepositoryFixture.create(tmp, false);
    String url = repo.url;

    controller.startJenkins();
    ArrayList<String> before = controller.runRemotely(r -> openAndVote(r, url));
    controller.stopJenkinsForcibly();

    controller.startJenkins();
    ArrayList<String> after = controller.runRemotely(GateCrashTest::afterTheCrash);
    controller.stopJenkins();

    assertThat(after.subList(0, 3)).as("id, deadline and votes of the gate").isEqualTo(before);
    assertThat(after.get(3)).isEqualTo("SUCCESS");
    assertThat(repo.headMessage()).contains("Environment: production", "Approved-By: alice", "Approved-By: bob");
  }

  /** Starts the build, waits for its gate, votes once; the gate's id, deadline and voters. */
  private static ArrayList<String> openAndVote(JenkinsRule j, String url) throws Exception {
    return describe(GateVotes.releaseWaitingWithOneVote(j, url));
  }

  /** The resumed build: its gate as {@link #openAndVote} described it, then the build's result after bob's vote. */
  private static ArrayList<String> afterTheCrash(JenkinsRule j) throws Exception {
    WorkflowRun build = GateVotes.resumedRelease(j);
    ArrayList<String> described = describe(build.getAction(GateAction.class));
    assertThat(GateVotes.vote(j, build, "bob", "approve")).isEqualTo(302);
    j.waitForCompletion(build);
    j.assertLogNotContains("opening it again", build);
    described.add(String.valueOf(build.getResult()));
    return described;
  }

  private static ArrayList<String> describe(GateAction gate) {
    ArrayList<String> described = new ArrayList<>();
    described.add(gate.getId());
    described.add(gate.getDeadline().toString());
    described.add(String.join(",", gate.getVotes().stream().map(v -> v.getVoter()).toList()));
    return described;
  }
}
