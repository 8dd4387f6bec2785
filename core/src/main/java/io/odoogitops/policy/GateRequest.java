package io.odoogitops.policy;

import io.odoogitops.ReleaseException;
import io.odoogitops.restore.RestorePoint;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the gate weighs besides the policy itself. The facts come from other parts of the product (the dry-run
 * report, the GitOps history, the approval store) and are passed in, so the gate stays a pure function of its inputs
 * and can be re-evaluated right before the push.
 *
 * @param initiator who asked for the promotion, as claimed: under four-eyes it is barred from approving, but a claim
 *     can only take approvals away, never add them
 * @param sourceAuthor author of the source revision the image was built from; {@code null} if unknown
 * @param approvals unsigned votes (a YAML list, or Jenkins' own votes): counted only while no allowed signers are
 *     configured
 * @param ballots signed vote files, verified against the policy's allowed signers
 * @param promotionId the promotion being decided, if known; a vote naming another promotion does not count
 * @param authorIdentities further identities of the source revision's author (commit author's name and e-mail, the
 *     principal of its verified signature), all barred under four-eyes
 * @param restorePoint the restore point taken before this promotion (its evidence file), if any
 * @param restorePointSignature the armored signature next to the point's evidence ({@code .sig}); {@code null}: none
 * @param holds the holds rollbacks set on the candidate's application and environment, read from the GitOps history;
 *     empty when no history was consulted (the {@code hold} rule then does not apply)
 */
public record GateRequest(Candidate candidate, String initiator, String sourceAuthor, List<Approval> approvals,
    Optional<DryRunEvidence> dryRun, Optional<UpstreamEvidence> upstream, Optional<OverrideRequest> override,
    Instant at, Ballots ballots, String promotionId, java.util.Set<String> authorIdentities,
    Optional<RestorePoint> restorePoint,
    Optional<HoldEvidence> holds, String restorePointSignature) {

  public GateRequest {
    Objects.requireNonNull(candidate, "candidate");
    Objects.requireNonNull(at, "at");
    if (initiator == null || initiator.isBlank()) {
      throw ReleaseException.badInput("the initiator of the promotion is required (--initiator): the four-eyes"
          + " rule needs to know who asked");
    }
    approvals = List.copyOf(approvals);
    ballots = ballots == null ? Ballots.none() : ballots;
    authorIdentities = authorIdentities == null ? java.util.Set.of() : java.util.Set.copyOf(authorIdentities);
    restorePoint = restorePoint == null ? Optional.empty() : restorePoint;
    holds = holds == null ? Optional.empty() : holds;
  }

  public static Builder builder(Candidate candidate) {
    return new Builder(candidate);
  }

  /** Builds a request; only the candidate, the initiator and the instant are required. */
  public static final class Builder {
    private final Candidate candidate;
    private String initiator;
    private String sourceAuthor;
    private final List<Approval> approvals = new ArrayList<>();
    private DryRunEvidence dryRun;
    private UpstreamEvidence upstream;
    private OverrideRequest override;
    private Instant at;
    private Ballots ballots = Ballots.none();
    private String promotionId;
    private final java.util.Set<String> authorIdentities = new java.util.LinkedHashSet<>();
    private RestorePoint restorePoint;
    private String restorePointSignature;
    private HoldEvidence holds;

    private Builder(Candidate candidate) {
      this.candidate = candidate;
    }

    public Builder initiator(String initiator) {
      this.initiator = initiator;
      return this;
    }

    public Builder sourceAuthor(String sourceAuthor) {
      this.sourceAuthor = sourceAuthor;
      return this;
    }

    public Builder approvals(List<Approval> approvals) {
      this.approvals.addAll(approvals);
      return this;
    }

    public Builder approval(Approval approval) {
      this.approvals.add(approval);
      return this;
    }

    public Builder dryRun(DryRunEvidence dryRun) {
      this.dryRun = dryRun;
      return this;
    }

    public Builder upstream(UpstreamEvidence upstream) {
      this.upstream = upstream;
      return this;
    }

    public Builder override(OverrideRequest override) {
      this.override = override;
      return this;
    }

    public Builder at(Instant at) {
      this.at = at;
      return this;
    }

    /** Signed vote files; they are added to those given before. */
    public Builder ballots(Ballots more) {
      this.ballots = this.ballots.plus(more);
      return this;
    }

    public Builder promotionId(String promotionId) {
      this.promotionId = promotionId;
      return this;
    }

    public Builder authorIdentities(java.util.Collection<String> identities) {
      this.authorIdentities.addAll(identities);
      return this;
    }

    /** The restore point taken before this promotion ({@code restore-point take}'s evidence). */
    public Builder restorePoint(RestorePoint point) {
      this.restorePoint = point;
      return this;
    }

    /** The armored signature of the restore point's evidence ({@code restore-point take --signing-key}). */
    public Builder restorePointSignature(String signature) {
      this.restorePointSignature = signature;
      return this;
    }

    /** The holds in force, read from the GitOps history. */
    public Builder holds(HoldEvidence holds) {
      this.holds = holds;
      return this;
    }

    public GateRequest build() {
      return new GateRequest(candidate, initiator, sourceAuthor, approvals, Optional.ofNullable(dryRun),
          Optional.ofNullable(upstream), Optional.ofNullable(override), at, ballots, promotionId, authorIdentities,
          Optional.ofNullable(restorePoint), Optional.ofNullable(holds), restorePointSignature);
    }
  }
}
