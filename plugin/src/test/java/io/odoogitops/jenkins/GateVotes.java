package io.odoogitops.jenkins;

import hudson.model.Item;
import io.odoogitops.jenkins.gate.GateAction;
import io.odoogitops.jenkins.gate.GatePermissions;
import java.net.URL;
import jenkins.model.Jenkins;
import org.htmlunit.HttpMethod;
import org.htmlunit.WebRequest;
import org.htmlunit.WebResponse;
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
