package io.odoogitops.jenkins.gate;

import static org.assertj.core.api.Assertions.assertThat;

import io.odoogitops.ImageDigest;
import io.odoogitops.jenkins.testing.TestKeys;
import io.odoogitops.policy.ApprovalScope;
import io.odoogitops.policy.Ballots;
import io.odoogitops.policy.Vote;
import io.odoogitops.policy.VoteStatement;
import io.odoogitops.signing.SshSigner;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Votes of the gate page signed by the controller's key, decided by the core under the policy's allowedSigners (the
 * file form the docs give for the controller: one line listing the users the key may vote for).
 */
class GateSignedVotesTest {

  private static final String DIGEST = "sha256:" + "2".repeat(64);
  private static final String POLICY = """
      applications:
        odoo: { image: registry.example.com/acme/odoo }
      environments:
        staging: { path: envs/staging, layout: kustomize }
        production:
          path: envs/production
          layout: kustomize
          gate: { approvals: 2, approvers: [user:alice, user:bob, user:mallory] }
      allowedSigners: security/allowed_signers
      """;

  @TempDir
  Path dir;

  private SshSigner controller;
  private SshSigner stranger;
  private String signersFile;

  @BeforeEach
  void keys() throws Exception {
    Path key = TestKeys.ed25519(dir, "jenkins-controller");
    controller = SshSigner.fromKeyFile(key, null);
    stranger = SshSigner.fromKeyFile(TestKeys.ed25519(dir, "stranger"), null);
    signersFile = "alice,bob namespaces=\"odoo-gitops\" " + TestKeys.publicKey(key) + " jenkins-controller\n";
  }

  @Test
  void votesTheControllerSignedForUsersItMayVoteForCount() {
    GateAction gate = gate();
    GateVote alice = signed(controller, "alice", Vote.APPROVE);
    GateVote bob = signed(controller, "bob", Vote.APPROVE);
    assertThat(gate.settle(gate.evaluate(List.of(alice, bob), Instant.now()))).isEqualTo(GateAction.State.APPROVED);
    assertThat(gate.result().get("approvedBy")).isEqualTo(List.of("alice", "bob"));
    assertThat(alice.isSigned()).isTrue();
  }

  @Test
  void aVoteForAUserTheKeyMayNotSignForIsNotCounted() {
    GateAction gate = gate();
    assertThat(GateAction.ignoredReason(gate.evaluate(List.of(signed(controller, "mallory", Vote.APPROVE)),
        Instant.now()), "mallory")).isPresent();
    assertThat(GateAction.ignoredReason(gate.evaluate(List.of(signed(stranger, "alice", Vote.APPROVE)),
        Instant.now()), "alice")).isPresent();
  }

  @Test
  void anUnsignedGatePageVoteIsNotCountedUnderAllowedSigners() {
    GateAction gate = gate();
    GateVote unsigned = new GateVote("alice", "Alice", Vote.APPROVE, ApprovalScope.PROMOTION,
        Instant.now().minusSeconds(5), List.of());
    assertThat(GateAction.ignoredReason(gate.evaluate(List.of(unsigned), Instant.now()), "alice"))
        .hasValueSatisfying(why -> assertThat(why).contains("unsigned"));
  }

  @Test
  void theLandingCheckGetsTheSignedVoteFilesAsBallots() {
    GateAction gate = gate();
    GateVote alice = signed(controller, "alice", Vote.APPROVE);
    gate.accept(alice, gate.evaluate(List.of(alice), Instant.now()));
    LandingPolicy landing = gate.landingPolicy();
    Ballots ballots = LandingPolicy.ballots(landing.votes().stream().map(LandingPolicy.CastVote::voteFile).toList());
    assertThat(ballots.unreadable()).isEmpty();
    assertThat(ballots.signed()).singleElement().satisfies(v -> {
      assertThat(v.statement().voter()).isEqualTo("alice");
      assertThat(v.statement().digest().value()).isEqualTo(DIGEST);
    });
  }

  private GateAction gate() {
    GateInputs inputs = new GateInputs(POLICY, "0123abc", null, null, null, null, null, null,
        Map.of("security/allowed_signers", signersFile));
    return new GateAction("gate-1", "production", "odoo", "registry.example.com/acme/odoo@" + DIGEST, DIGEST,
        "starter", null, null, inputs, Instant.now().plus(Duration.ofHours(1)));
  }

  private static GateVote signed(SshSigner key, String voter, Vote vote) {
    Instant at = Instant.now().minusSeconds(5);
    VoteStatement statement = new VoteStatement("production", "odoo", new ImageDigest(DIGEST), vote, ApprovalScope.PROMOTION, null,
        voter, at);
    return new GateVote(voter, voter, vote, ApprovalScope.PROMOTION, at, new ArrayList<>(),
        GateAction.sign(key, statement));
  }
}
