package io.odoogitops.jenkins.signing;

import static io.odoogitops.jenkins.testing.GitOpsRepositoryFixture.DIGEST;
import static io.odoogitops.jenkins.testing.GitOpsRepositoryFixture.IMAGE;
import static org.assertj.core.api.Assertions.assertThat;

import com.cloudbees.jenkins.plugins.sshcredentials.impl.BasicSSHUserPrivateKey;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import hudson.model.Cause;
import hudson.model.CauseAction;
import hudson.model.Result;
import io.odoogitops.jenkins.config.OdooGitOpsConfiguration;
import io.odoogitops.jenkins.gate.GateAction;
import io.odoogitops.jenkins.gate.GateVotes;
import io.odoogitops.jenkins.testing.GitOpsRepositoryFixture;
import io.odoogitops.jenkins.testing.TestKeys;
import io.odoogitops.trust.CommitVerifier;
import io.odoogitops.trust.Role;
import io.odoogitops.trust.TrustRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * The controller's keys (issue 15): gate-page votes signed by the vote-signing key count under the policy's
 * allowedSigners; the release key, of System scope, cannot be bound by a Jenkinsfile and signs the promotion commit on
 * the controller. Needs the Jenkins repository (-Pjenkins); the pure parts are unit tests (GateSignedVotesTest,
 * TrustRootTextTest, DryRunSignatureTest).
 */
@WithJenkins
class SignedReleaseTest {

  @TempDir
  Path tmp;

  private JenkinsRule j;
  private Path controllerKey;
  private Path releaseKey;

  @BeforeEach
  void setUp(JenkinsRule rule) throws Exception {
    j = rule;
    controllerKey = TestKeys.ed25519(tmp, "jenkins-controller");
    releaseKey = TestKeys.ed25519(tmp, "release");
  }

  @Test
  void gatePageVotesSignedByTheControllerCountUnderAllowedSigners() throws Exception {
    // The last line of the fixture's production block is followed by top-level keys when not indented.
    String pub = TestKeys.publicKey(controllerKey);
    GitOpsRepositoryFixture repo = GitOpsRepositoryFixture.create(tmp.resolve("signed"),
        "allowedSigners:\n  alice: " + pub + "\n  bob: " + pub + "\n  starter: " + pub);
    repo.configureJenkins();
    GateVotes.secure(j);
    addKey(CredentialsScope.SYSTEM, "vote-key", controllerKey);
    OdooGitOpsConfiguration.get().setVoteSigningCredentialsId("vote-key");

    WorkflowRun build = start(GateVotes.PIPELINE);
    GateAction gate = GateVotes.awaitGate(j, build);
    assertThat(GateVotes.vote(j, build, "alice", "approve")).isEqualTo(302);
    assertThat(gate.getVotes()).singleElement().satisfies(v -> assertThat(v.isSigned()).isTrue());
    assertThat(GateVotes.vote(j, build, "mallory", "approve")).as("the key may not vote for mallory")
        .isEqualTo(403);
    assertThat(GateVotes.vote(j, build, "bob", "approve")).isEqualTo(302);

    j.assertBuildStatusSuccess(j.waitForCompletion(build));
    assertThat(repo.headMessage()).contains("Image-Digest: " + DIGEST, "Approved-By: alice", "Approved-By: bob",
        "Approval-Key: alice SHA256:");
  }

  @Test
  void withoutTheControllerKeyAGatePageVoteIsUnsignedAndRefused() throws Exception {
    String pub = TestKeys.publicKey(controllerKey);
    GitOpsRepositoryFixture repo = GitOpsRepositoryFixture.create(tmp.resolve("unsigned"),
        "allowedSigners:\n  alice: " + pub);
    repo.configureJenkins();
    GateVotes.secure(j);

    WorkflowRun build = start(GateVotes.PIPELINE);
    GateAction gate = GateVotes.awaitGate(j, build);
    assertThat(GateVotes.responseTo(j, build, "alice", "approve")).contains("unsigned");
    assertThat(gate.getVotes()).isEmpty();
    build.doStop();
    j.waitForCompletion(build);
  }

  @Test
  void theReleaseKeyIsNotVisibleToAJenkinsfile() throws Exception {
    GitOpsRepositoryFixture.create(tmp.resolve("hidden"), false).configureJenkins();
    addKey(CredentialsScope.SYSTEM, "release-key", releaseKey);
    OdooGitOpsConfiguration.get().setReleaseKeyCredentialsId("release-key");

    WorkflowRun build = start("""
        node {
          withCredentials([sshUserPrivateKey(credentialsId: 'release-key', keyFileVariable: 'KEY')]) {
            echo 'the release key was bound'
          }
        }
        """);
    j.assertBuildStatus(Result.FAILURE, j.waitForCompletion(build));
    j.assertLogNotContains("the release key was bound", build);
    j.assertLogContains("release-key", build);
  }

  @Test
  void aReleaseKeyOfGlobalScopeIsRefused() throws Exception {
    GitOpsRepositoryFixture repo = GitOpsRepositoryFixture.create(tmp.resolve("global"), false);
    repo.configureJenkins();
    addKey(CredentialsScope.GLOBAL, "release-key", releaseKey);
    OdooGitOpsConfiguration.get().setReleaseKeyCredentialsId("release-key");

    WorkflowRun build = start("node { odooPromote environment: 'staging', application: 'odoo', image: '"
        + IMAGE + "' }");
    j.assertBuildStatus(Result.FAILURE, j.waitForCompletion(build));
    j.assertLogContains("has scope GLOBAL", build);
    assertThat(repo.manifest("staging")).doesNotContain(DIGEST);
  }

  @Test
  void aSignedPromotionCommitLands() throws Exception {
    GitOpsRepositoryFixture repo = GitOpsRepositoryFixture.create(tmp.resolve("release"), false);
    repo.configureJenkins();
    addKey(CredentialsScope.SYSTEM, "release-key", releaseKey);
    OdooGitOpsConfiguration config = OdooGitOpsConfiguration.get();
    config.setReleaseKeyCredentialsId("release-key");
    config.setReleaseKeyFormat("ssh");

    WorkflowRun build = start("node { def r = odooPromote environment: 'staging', application: 'odoo', image: '"
        + IMAGE + "'\n echo \"staging ${r.outcome}\" }");
    j.assertBuildStatusSuccess(j.waitForCompletion(build));
    j.assertLogContains("staging LANDED", build);
    j.assertLogContains("signed with the release key ssh SHA256:", build);
    assertThat(repo.manifest("staging")).contains(DIGEST);

    TrustRoot root = TrustRoot.parse("#@role release-manager\njenkins " + TestKeys.publicKey(releaseKey)
        + "\n#@role policy-admin\nerin " + TestKeys.publicKey(controllerKey) + "\n", "test", name -> null);
    try (Repository git = new FileRepositoryBuilder().setGitDir(repo.bare.toFile()).build();
        RevWalk walk = new RevWalk(git)) {
      var head = walk.parseCommit(git.resolve(Constants.R_HEADS + "main"));
      assertThat(new CommitVerifier(root).verify(head, Role.RELEASE_MANAGER).trusted()).isTrue();
    }
    assertThat(Files.readString(releaseKey)).as("the key stays where it was").isNotBlank();
  }

  private WorkflowRun start(String script) throws Exception {
    WorkflowJob job = j.createProject(WorkflowJob.class);
    job.setDefinition(new CpsFlowDefinition(script, true));
    return job.scheduleBuild2(0, new CauseAction(new Cause.UserIdCause("starter"))).waitForStart();
  }

  private static void addKey(CredentialsScope scope, String id, Path key) throws Exception {
    SystemCredentialsProvider.getInstance().getCredentials().add(new BasicSSHUserPrivateKey(scope, id, "git",
        new BasicSSHUserPrivateKey.DirectEntryPrivateKeySource(Files.readString(key)), null, id));
    SystemCredentialsProvider.getInstance().save();
  }
}
