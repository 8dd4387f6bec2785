package io.odoogitops.jenkins.gate;

import io.odoogitops.policy.Approval;
import io.odoogitops.policy.ApprovalScope;
import io.odoogitops.policy.Candidate;
import io.odoogitops.policy.SignedVote;
import io.odoogitops.policy.Vote;
import java.io.Serial;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One vote cast on the build page, persisted with the build. The voter's groups are captured when voting (matched to
 * the policy's group names with the security realm's group id strategy), so re-evaluating the gate later, after a
 * restart or on another thread, needs no security realm look-up and gives the same answer. Serializable because the
 * waiting step keeps a copy of its gate in the Pipeline's program.
 */
public final class GateVote implements Serializable {

  @Serial
  private static final long serialVersionUID = 1L;

  private final String voter;
  private final String displayName;
  private final Vote vote;
  private final ApprovalScope scope;
  private final long at;
  private final List<String> policyGroups;
  /** The vote file the controller signed for the voter (payload and SSH signature); null: an unsigned vote. */
  private final String voteFile;

  GateVote(String voter, String displayName, Vote vote, ApprovalScope scope, Instant at, List<String> policyGroups) {
    this(voter, displayName, vote, scope, at, policyGroups, null);
  }

  GateVote(String voter, String displayName, Vote vote, ApprovalScope scope, Instant at, List<String> policyGroups,
      SignedVote signed) {
    this.voter = voter;
    this.displayName = displayName;
    this.vote = vote;
    this.scope = scope;
    this.at = at.toEpochMilli();
    this.policyGroups = new ArrayList<>(policyGroups); // XStream's JEP-200 filter knows ArrayList
    // ASCII by construction: the canonical payload and an armored signature.
    this.voteFile = signed == null ? null : new String(signed.toBytes(), StandardCharsets.US_ASCII);
  }

  public String getVoter() {
    return voter;
  }

  public String getDisplayName() {
    return displayName;
  }

  public String getVote() {
    return scope == ApprovalScope.FREEZE_OVERRIDE ? vote.name() + " (freeze override)" : vote.name();
  }

  public Instant getAt() {
    return Instant.ofEpochMilli(at);
  }

  Vote vote() {
    return vote;
  }

  ApprovalScope scope() {
    return scope;
  }

  List<String> policyGroups() {
    return policyGroups == null ? List.of() : policyGroups;
  }

  /** Whether the controller signed this vote. */
  public boolean isSigned() {
    return voteFile != null;
  }

  String voteFile() {
    return voteFile;
  }

  Approval toApproval(Candidate candidate) {
    return new Approval(voter, candidate.environment(), candidate.application(), candidate.digest(), getAt(), vote,
        scope);
  }
}
