package io.odoogitops.jenkins.gate;

import static org.assertj.core.api.Assertions.assertThat;

import io.odoogitops.policy.ApprovalScope;
import io.odoogitops.policy.Vote;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How the gate moves on as votes come in, through the core's policy: which failed rules wait for votes and which
 * refuse at once. The HTTP side is covered by GateStepTest.
 */
class GateDecisionTest {

  private static final String DIGEST = "sha256:" + "1".repeat(64);
  private static final String POLICY = """
      timeZone: Europe/Brussels
      applications:
        odoo: { image: registry.example.com/acme/odoo }
      environments:
        staging: { path: envs/staging, layout: kustomize }
        production:
          path: envs/production
          layout: kustomize
          promoteFrom: staging
          gate: { approvals: 2, approvers: [user:alice, user:bob, user:carol, user:starter], dryRun: WARN }
      %s
      """;
  private static final String FROZEN = """
          freeze:
            - name: always
              from: 2000-01-01T00:00
              to: 2100-01-01T00:00
          override: { approvals: 1, approvers: [user:carol] }
      """;

  @Test
  void twoApprovalsApproveWithTheirTrailers() {
    GateAction gate = gate(POLICY.formatted(""), List.of(DIGEST), "PASS", null);
    assertThat(settle(gate)).isEqualTo(GateAction.State.WAITING);
    assertThat(settle(gate, vote("alice", Vote.APPROVE))).isEqualTo(GateAction.State.WAITING);
    assertThat(settle(gate, vote("alice", Vote.APPROVE), vote("bob", Vote.APPROVE)))
        .isEqualTo(GateAction.State.APPROVED);
    assertThat(gate.result().get("approvedBy")).isEqualTo(List.of("alice", "bob"));
    assertThat(trailers(gate)).anyMatch(t -> t.startsWith("Dry-Run: PASS"));
  }

  @Test
  void theStartersApprovalDoesNotCountButTheirRejectionDoes() {
    GateAction gate = gate(POLICY.formatted(""), List.of(DIGEST), "PASS", null);
    assertThat(settle(gate, vote("alice", Vote.APPROVE), vote("starter", Vote.APPROVE)))
        .isEqualTo(GateAction.State.WAITING);
    assertThat(settle(gate, vote("alice", Vote.APPROVE), vote("starter", Vote.REJECT)))
        .isEqualTo(GateAction.State.REJECTED);
    assertThat(gate.getOutcome()).contains("rejected by starter");
  }

  @Test
  void aVoteThatWouldNotCountIsRecognisedWithTheCoresReason() {
    GateAction gate = gate(POLICY.formatted(""), List.of(DIGEST), "PASS", null);
    assertThat(GateAction.ignoredReason(gate.evaluate(List.of(vote("Starter", Vote.APPROVE)), Instant.now()),
        "Starter")).hasValueSatisfying(why -> assertThat(why).contains("four-eyes"));
    assertThat(GateAction.ignoredReason(gate.evaluate(List.of(vote("mallory", Vote.REJECT)), Instant.now()),
        "mallory")).hasValueSatisfying(why -> assertThat(why).contains("not among the approvers"));
    assertThat(GateAction.ignoredReason(gate.evaluate(List.of(vote("alice", Vote.APPROVE)), Instant.now()),
        "alice")).isEmpty();
  }

  @Test
  void rulesThatNoVoteCanFixRefuseAtOnce() {
    assertThat(settle(gate(POLICY.formatted(""), List.of(), "PASS", null)))
        .as("never promoted to staging").isEqualTo(GateAction.State.REFUSED);
    GateAction failedDryRun = gate(POLICY.formatted(""), List.of(DIGEST), "FAIL", null);
    assertThat(settle(failedDryRun)).isEqualTo(GateAction.State.REFUSED);
    assertThat(failedDryRun.getOutcome()).contains("dry-run");
    assertThat(settle(gate(POLICY.formatted(FROZEN), List.of(DIGEST), "PASS", null)))
        .as("frozen, no override asked for").isEqualTo(GateAction.State.REFUSED);
  }

  @Test
  void aFreezeOverrideWaitsForItsOwnApproval() {
    GateAction gate = gate(POLICY.formatted(FROZEN), List.of(DIGEST), "PASS", "invoices cannot be posted");
    assertThat(settle(gate, vote("alice", Vote.APPROVE), vote("bob", Vote.APPROVE)))
        .isEqualTo(GateAction.State.WAITING);
    assertThat(settle(gate, vote("alice", Vote.APPROVE), vote("bob", Vote.APPROVE),
        new GateVote("carol", "Carol", Vote.APPROVE, ApprovalScope.FREEZE_OVERRIDE, Instant.now(), List.of())))
        .isEqualTo(GateAction.State.APPROVED);
    assertThat(trailers(gate)).anyMatch(t -> t.startsWith("Override-Justification: invoices cannot be posted"));
  }

  @Test
  void theCopyTheStepKeepsInItsProgramIsTheSameGate() throws Exception {
    GateAction gate = gate(POLICY.formatted(""), List.of(DIGEST), "PASS", null);
    GateVote alice = vote("alice", Vote.APPROVE);
    gate.accept(alice, gate.evaluate(List.of(alice), Instant.now()));

    // The program is written with Java serialization semantics (JBoss River); the copy must survive it whole.
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(gate.copy());
    }
    GateAction restored;
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      restored = (GateAction) in.readObject();
    }

    assertThat(restored.getId()).isEqualTo("gate-1");
    assertThat(restored.getDeadline()).isEqualTo(gate.getDeadline());
    assertThat(restored.getState()).isEqualTo(GateAction.State.WAITING);
    assertThat(restored.getVotes()).extracting(GateVote::getVoter).containsExactly("alice");
    assertThat(settle(restored, alice, vote("bob", Vote.APPROVE))).isEqualTo(GateAction.State.APPROVED);
    assertThat(gate.getState()).as("a copy, not a view").isEqualTo(GateAction.State.WAITING);
  }

  @Test
  void aWaitingGateLooksAgainWhenItsOldestVoteExpires() {
    GateAction gate = gate(POLICY.formatted(""), List.of(DIGEST), "PASS", null);
    Instant cast = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MILLIS); // votes keep milliseconds
    GateVote alice = new GateVote("alice", "Alice", Vote.APPROVE, ApprovalScope.PROMOTION, cast, List.of());
    gate.accept(alice, gate.evaluate(List.of(alice), Instant.now()));

    // approvalTtl defaults to seven days in the core's GateSpec
    assertThat(gate.nextChange(Instant.now())).contains(cast.plus(Duration.ofDays(7)));
  }

  private static GateAction gate(String policy, List<String> upstream, String verdict, String override) {
    GateInputs inputs = new GateInputs(policy, "0123abc", "staging", new ArrayList<>(upstream), DIGEST, verdict,
        "sha256:" + "f".repeat(64), null, null);
    return new GateAction("gate-1", "production", "odoo", "registry.example.com/acme/odoo@" + DIGEST, DIGEST, "starter",
        null, override, inputs, Instant.now().plus(Duration.ofHours(1)));
  }

  /** Evaluates with all {@code votes} cast so far and settles; once decided, a gate stays decided. */
  private static GateAction.State settle(GateAction gate, GateVote... votes) {
    return gate.settle(gate.evaluate(List.of(votes), Instant.now()));
  }

  @SuppressWarnings("unchecked")
  private static List<String> trailers(GateAction gate) {
    return (List<String>) gate.result().get("trailers");
  }

  private static GateVote vote(String voter, Vote vote) {
    return new GateVote(voter, voter, vote, ApprovalScope.PROMOTION, Instant.now().minusSeconds(5), List.of());
  }
}
