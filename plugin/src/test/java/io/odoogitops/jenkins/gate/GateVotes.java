package io.odoogitops.jenkins.gate;

import static io.odoogitops.jenkins.testing.GitOpsRepositoryFixture.IMAGE;
import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.Cause;
import hudson.model.CauseAction;
import hudson.model.Item;
import io.odoogitops.jenkins.testing.GitOpsRepositoryFixture;
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
public final class GateVotes {

  /** Promotes to staging, waits at the production gate (carol wrote the change), promotes to production. */
  public static final String PIPELINE = """
      node { odooPromote environment: 'staging', application: 'odoo', image: '%s' }
      def gate = odooGate environment: 'production', application: 'odoo', image: '%s', sourceAuthor: 'carol'
      echo "gate ${gate.state} by ${gate.approvedBy}"
      node {
        def prod = odooPromote environment: 'production', application: 'odoo', image: '%s'
        echo "production ${prod.outcome}"
      }
      """.formatted(IMAGE, IMAGE, IMAGE);

  private GateVotes() {}

  /**
   * Dummy realm (user = password), everyone may read and vote in Jenkins; the policy decides who counts. mallory has
   * the Jenkins permission but is not among the policy's approvers; dave is among neither.
   */
  public static void secure(JenkinsRule j) {
    j.jenkins.setSecurityRealm(j.createDummySecurityRealm());
    j.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
        .grant(Jenkins.READ, Item.READ, Item.BUILD).everywhere().to("alice", "bob", "carol", "starter", "mallory",
            "dave")
        .grant(GatePermissions.APPROVE).everywhere().to("alice", "bob", "carol", "starter", "mallory"));
  }

  /**
   * Before a restart: job {@code release} runs {@link #PIPELINE} against the GitOps repository at
   * {@code gitopsUrl}, started by {@code starter}; its gate opens and alice approves. The gate, still waiting.
   */
  public static GateAction releaseWaitingWithOneVote(JenkinsRule j, String gitopsUrl) throws Exception {
    GitOpsRepositoryFixture.configureJenkins(gitopsUrl);
    secure(j);
    WorkflowJob job = j.createProject(WorkflowJob.class, "release");
    job.setDefinition(new CpsFlowDefinition(PIPELINE, true));
    WorkflowRun build = job.scheduleBuild2(0, new CauseAction(new Cause.UserIdCause("starter"))).waitForStart();
    GateAction gate = awaitGate(j, build);
    assertThat(vote(j, build, "alice", "approve")).isEqualTo(302);
    assertThat(gate.getState()).isEqualTo(GateAction.State.WAITING);
    return gate;
  }

  /** After the restart: the build of {@link #releaseWaitingWithOneVote}, still running, its gate waiting. */
  public static WorkflowRun resumedRelease(JenkinsRule j) {
    WorkflowRun build = j.jenkins.getItemByFullName("release", WorkflowJob.class).getBuildByNumber(1);
    assertThat(build.isBuilding()).isTrue();
    assertThat(build.getAction(GateAction.class).getState()).isEqualTo(GateAction.State.WAITING);
    return build;
  }

  /** The gate of {@code build}, once the step has opened it. */
  public static GateAction awaitGate(JenkinsRule j, WorkflowRun build) throws Exception {
    j.waitForMessage("waits for its release gate", build);
    return build.getAction(GateAction.class);
  }

  /** POSTs {@code verb} (approve, reject, approveOverride) as {@code user}, with the CSRF crumb; the HTTP status. */
  public static int vote(JenkinsRule j, WorkflowRun build, String user, String verb) throws Exception {
    return post(j, build, user, verb).getStatusCode();
  }

  /** Like {@link #vote}, the response's text: what a voter reads when the vote is refused. */
  public static String responseTo(JenkinsRule j, WorkflowRun build, String user, String verb) throws Exception {
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
  public static int forged(JenkinsRule j, WorkflowRun build, String user, String verb, HttpMethod method)
      throws Exception {
    GateAction gate = build.getAction(GateAction.class);
    try (JenkinsRule.WebClient web = j.createWebClient().withThrowExceptionOnFailingStatusCode(false)
        .withRedirectEnabled(false)) {
      web.login(user);
      URL url = new URL(j.getURL(), build.getUrl() + gate.getUrlName() + "/" + verb);
      return web.getPage(new WebRequest(url, method)).getWebResponse().getStatusCode();
    }
  }
}
