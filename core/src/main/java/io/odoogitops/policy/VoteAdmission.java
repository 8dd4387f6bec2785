package io.odoogitops.policy;

import io.odoogitops.signing.AllowedSigners;
import io.odoogitops.signing.SignatureCheck;
import io.odoogitops.signing.SshSignatures;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides which votes may be counted at all, before the tally looks at candidates, expiry and approvers. With allowed
 * signers, a vote is admitted only if its signature over the canonical payload is valid in the {@code odoo-gitops}
 * namespace and the signing key may sign as the vote's voter (at the vote's time and at the decision's). Without
 * them the gate is advisory: every vote is a claim, and signed votes are only checked to be intact.
 */
final class VoteAdmission {

  /** A vote that was not admitted; {@code scope} null when the file could not even say which scope it was in. */
  record NotCounted(ApprovalScope scope, String text) {}

  /**
   * @param keys for each admitted vote whose signer was verified, the fingerprint of the key that signed it
   */
  record Admitted(List<Approval> votes, List<NotCounted> notCounted, boolean verified, Map<Approval, String> keys) {

    List<String> notCounted(ApprovalScope scope) {
      return notCounted.stream().filter(n -> n.scope() == scope || (n.scope() == null
          && scope == ApprovalScope.PROMOTION)).map(NotCounted::text).toList();
    }
  }

  private VoteAdmission() {}

  static Admitted admit(GateRequest request, Optional<AllowedSigners> signers) {
    List<Approval> votes = new ArrayList<>();
    List<NotCounted> notCounted = new ArrayList<>();
    Map<Approval, String> keys = new LinkedHashMap<>();
    for (Approval claim : request.approvals()) {
      if (signers.isPresent()) {
        notCounted.add(new NotCounted(claim.scope(), claim.voter() + ": unsigned vote; allowedSigners is"
            + " configured, so only signed votes count (cast one with odoo-gitops approve --key)"));
      } else {
        votes.add(claim);
      }
    }
    request.ballots().unreadable().forEach(u -> notCounted.add(new NotCounted(null, "not counted: " + u)));
    Set<String> seen = new HashSet<>();
    for (SignedVote ballot : request.ballots().signed()) {
      VoteStatement vote = ballot.statement();
      if (!seen.add(new String(vote.canonical(), java.nio.charset.StandardCharsets.UTF_8)
          + ballot.signature().armored())) {
        continue; // the same file from the repository and from --approvals
      }
      String who = vote.voter() + " (" + ballot.source() + ")";
      Verified verified = verify(ballot, signers, request.at());
      if (verified.refusal() != null) {
        notCounted.add(new NotCounted(vote.scope(), who + ": " + verified.refusal()));
        continue;
      }
      if (vote.promotionId() != null && request.promotionId() != null
          && !vote.promotionId().equals(request.promotionId())) {
        notCounted.add(new NotCounted(vote.scope(), who + ": answers promotion " + vote.promotionId() + ", not "
            + request.promotionId()));
        continue;
      }
      votes.add(vote.approval());
      if (signers.isPresent()) {
        keys.put(vote.approval(), verified.fingerprint());
      }
    }
    return new Admitted(votes, notCounted, signers.isPresent(), keys);
  }

  /** A ballot's signature check: the refusal, or null and the signing key's fingerprint. */
  record Verified(String refusal, String fingerprint) {}

  /**
   * Checks one ballot's signature, and with allowed signers whether its key may sign as its voter (at the vote's time
   * and at {@code now}).
   */
  static Verified verify(SignedVote ballot, Optional<AllowedSigners> signers, Instant now) {
    VoteStatement vote = ballot.statement();
    SignatureCheck check = SshSignatures.verify(vote.canonical(), ballot.signature(), VoteStatement.NAMESPACE);
    if (!check.valid()) {
      return new Verified(label(check.problem()) + ": " + check.detail(), null);
    }
    if (signers.isPresent()) {
      String refusal = trust(signers.get(), vote, check, now);
      if (refusal != null) {
        return new Verified(refusal, null);
      }
    }
    return new Verified(null, check.fingerprint());
  }

  /** Null when the key may sign as the voter at the vote's time and now; else why not. */
  private static String trust(AllowedSigners signers, VoteStatement vote, SignatureCheck check, Instant now) {
    for (Instant at : List.of(vote.at(), now)) {
      AllowedSigners.Trust trust = signers.check(vote.voter(), check.key(), VoteStatement.NAMESPACE, at);
      if (!trust.allowed()) {
        return switch (trust.problem()) {
          case UNKNOWN_KEY -> "unknown key: " + trust.detail();
          case OTHER_PRINCIPAL -> "key of another voter: " + trust.detail();
          case NAMESPACE_NOT_ALLOWED -> "namespace not allowed: " + trust.detail();
          case NOT_YET_VALID, EXPIRED -> "key not valid: " + trust.detail();
        };
      }
    }
    return null;
  }

  private static String label(SignatureCheck.Problem problem) {
    return switch (problem) {
      case NAMESPACE_MISMATCH -> "namespace mismatch";
      case UNSUPPORTED_ALGORITHM -> "unsupported signature";
      case BAD_SIGNATURE -> "bad signature";
      case USER_NOT_PRESENT -> "hardware key not touched";
    };
  }
}
