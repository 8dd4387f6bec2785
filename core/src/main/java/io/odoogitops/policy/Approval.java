package io.odoogitops.policy;

import io.odoogitops.ImageDigest;
import java.time.Instant;
import java.util.Objects;

/**
 * One person's vote, bound to exactly one candidate: environment, application and image digest. A vote for another
 * digest of the same application does not count: what was reviewed is what gets deployed.
 *
 * @param voter the user id of the person who voted
 * @param at when the vote was cast; votes expire after the gate's {@code approvalTtl}
 */
public record Approval(String voter, String environment, String application, ImageDigest digest, Instant at, Vote vote,
    ApprovalScope scope) {

  public Approval {
    Objects.requireNonNull(voter, "voter");
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(application, "application");
    Objects.requireNonNull(digest, "digest");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(vote, "vote");
    scope = scope == null ? ApprovalScope.PROMOTION : scope;
  }

  /** An approval of a promotion. */
  public static Approval approve(String voter, Candidate candidate, Instant at) {
    return new Approval(voter, candidate.environment(), candidate.application(), candidate.digest(), at,
        Vote.APPROVE, ApprovalScope.PROMOTION);
  }

  /** A rejection of a promotion. */
  public static Approval reject(String voter, Candidate candidate, Instant at) {
    return new Approval(voter, candidate.environment(), candidate.application(), candidate.digest(), at,
        Vote.REJECT, ApprovalScope.PROMOTION);
  }

  /** An approval of an emergency override of a freeze for this candidate. */
  public static Approval approveOverride(String voter, Candidate candidate, Instant at) {
    return new Approval(voter, candidate.environment(), candidate.application(), candidate.digest(), at,
        Vote.APPROVE, ApprovalScope.FREEZE_OVERRIDE);
  }

  boolean isFor(Candidate candidate) {
    return environment.equals(candidate.environment()) && application.equals(candidate.application())
        && digest.equals(candidate.digest());
  }
}
