package io.odoogitops.jenkins;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.Cause;
import hudson.model.CauseAction;
import hudson.model.Item;
import io.odoogitops.jenkins.gate.GateAction;
import io.odoogitops.jenkins.gate.GatePermissions;
import java.net.URL;
import jenkins.model.Jenkins;
import org.htmlunit.HttpMethod;
import org.htmlunit.WebRequest;
import org.htmlunit.WebResponse;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;

/** Security set-up and votes cast over HTTP, the way a release manager's browser does. */
final class GateVotes {

  private GateVotes() {}

  /**
   * Dummy realm (user = password), everyone may read and vote in Jenkins; the policy decides who counts. mallory has
   * the Jenkins permission but is not among the policy's approvers; dave is among neither.
   */
  static void secure(JenkinsRule j) {
    j.jenkins.setSecurityRealm(j.createDummySecurityRealm());
    j.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
        .grant(Jenkins.READ, Item.READ, Item.BUILD).everywhere().to("alice", "bob", "carol", "starter", "mallory",
            "dave")
        .grant(GatePermissions.APPROVE).everywhere().to("alice", "bob", "carol", "starter", "mallory"));
  }

  /**
   * Before a restart: job {@code release} runs {@link GateStepTest#PIPELINE} against the GitOps repository at
   * {@code gitopsUrl}, started by {@code starter}; its gate opens and alice approves. The gate, still waiting.
   */
  static GateAction releaseWaitingWithOneVote(JenkinsRule j, String gitopsUrl) throws Exception {
    GitOpsRepositoryFixture.configureJenkins(gitopsUrl);
    secure(j);
    WorkflowJob job = j.createProject(WorkflowJob.class, "release");
    job.setDefinition(new CpsFlowDefinition(GateStepTest.PIPELINE, true));
    WorkflowRun build = job.scheduleBuild2(0, new CauseAction(new Cause.UserIdCause("starter"))).waitForStart();
    GateAction gate = awaitGate(j, build);
    assertThat(vote(j, build, "alice", "approve")).isEqualTo(302);
    assertThat(gate.getState()).isEqualTo(GateAction.State.WAITING);
    return gate;
  }

  /** After the restart: the build of {@link #releaseWaitingWithOneVote}, still running, its gate waiting. */
  static WorkflowRun resumedRelease(JenkinsRule j) {
    WorkflowRun build = j.jenkins.getItemByFullName("release", WorkflowJob.class).getBuildByNumber(1);
    assertThat(build.isBuilding()).isTrue();
    assertThat(build.getAction(GateAction.class).getState()).isEqualTo(GateAction.State.WAITING);
    return build;
  }

  /** The gate of {@code build}, once the step has opened it. */
  static GateAction awaitGate(JenkinsRule j, WorkflowRun build) throws Exception {
    j.waitForMessage("waits for its release gate", build);
    return build.getAction(GateAction.class);
  }

  /** POSTs {@code verb} (approve, reject, approveOverride) as {@code user}, with the CSRF crumb; the HTTP status. */
  static int vote(JenkinsRule j, WorkflowRun build, String user, String verb) throws Exception {
    return post(j, build, user, verb).getStatusCode();
  }

  /** Like {@link #vote}, the response's text: what a voter reads when the vote is refused. */
  static String responseTo(JenkinsRule j, WorkflowRun build, String user, String verb) throws Exception {
    return post(j, build, user, verb).getContentAsString();
  }

  private static WebResponse post(JenkinsRule j, WorkflowRun build, String user, String verb) throws Exception {
    GateAction gate = build.getAction(GateAction.class);
    try (JenkinsRule.WebClient web = j.createWebClient().withThrowExceptionOnFailingStatusCode(false)
        .withRedirectEnabled(false)) {
      web.login(user);
      URL url = new URL(j.getURL(), build.getUrl() + gate.getUrlName() + "/" + verb);
      return web.getPage(web.addCrumb(new WebRequest(url, HttpMethod.POST))).getWebResponse();
    }
  }

  /** The same request without the crumb (a cross-site form post), or as GET. */
  static int forged(JenkinsRule j, WorkflowRun build, String user, String verb, HttpMethod method) throws Exception {
    GateAction gate = build.getAction(GateAction.class);
    try (JenkinsRule.WebClient web = j.createWebClient().withThrowExceptionOnFailingStatusCode(false)
        .withRedirectEnabled(false)) {
      web.login(user);
      URL url = new URL(j.getURL(), build.getUrl() + gate.getUrlName() + "/" + verb);
      return web.getPage(new WebRequest(url, method)).getWebResponse().getStatusCode();
    }
  }
}
