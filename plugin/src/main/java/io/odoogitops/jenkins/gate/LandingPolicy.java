package io.odoogitops.jenkins.gate;

import hudson.model.Run;
import io.odoogitops.ImageDigest;
import io.odoogitops.gitops.GateCheck;
import io.odoogitops.gitops.LandingCheck;
import io.odoogitops.jenkins.dryrun.DryRunAction;
import io.odoogitops.jenkins.step.BuildIdentity;
import io.odoogitops.policy.Approval;
import io.odoogitops.policy.ApprovalScope;
import io.odoogitops.policy.Ballots;
import io.odoogitops.policy.OverrideRequest;
import io.odoogitops.policy.Vote;
import java.io.Serial;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The release policy as odooPromote and odooRollback apply it: the core's {@link GateCheck}, re-evaluated right
 * before each push against the {@code odoo-gitops.yaml} and history of the commit being built on, fed with the votes
 * of this build's approved gate for the same candidate. A Pipeline that skips the gate, or a policy that changed since
 * the gate opened, is refused there; the decision's trailers ({@code Approved-By}, {@code Dry-Run},
 * {@code Freeze-Override}) are what the commit carries, so a Jenkinsfile cannot write its own. This record only
 * carries the gate's inputs to where the promotion engine runs; the initiator four-eyes bars is the promotion's own.
 *
 * @param environment the candidate the votes were cast for (with {@code application} and {@code digest})
 * @param dryRunVerdict null when the build has no dry-run of this digest
 * @param dryRunSignature the check of the report's signature; null when unsigned
 */
public record LandingPolicy(String environment, String application, ImageDigest digest, String sourceAuthor,
    String overrideJustification, ImageDigest dryRunDigest, String dryRunVerdict, String dryRunReportSha256,
    DryRunSignature dryRunSignature, List<CastVote> votes, List<String> changeAuthors, RestoreEvidence restore)
    implements Serializable {

  @Serial
  private static final long serialVersionUID = 4L;

  public LandingPolicy {
    votes = List.copyOf(votes);
    changeAuthors = changeAuthors == null ? List.of() : List.copyOf(changeAuthors);
    restore = restore == null ? RestoreEvidence.NONE : restore;
  }

  /** Without restore point facts. */
  public LandingPolicy(String environment, String application, ImageDigest digest, String sourceAuthor,
      String overrideJustification, ImageDigest dryRunDigest, String dryRunVerdict, String dryRunReportSha256,
      DryRunSignature dryRunSignature, List<CastVote> votes, List<String> changeAuthors) {
    this(environment, application, digest, sourceAuthor, overrideJustification, dryRunDigest, dryRunVerdict,
        dryRunReportSha256, dryRunSignature, votes, changeAuthors, RestoreEvidence.NONE);
  }

  /** This policy with the point of odooPromote's {@code restorePoint} (its evidence JSON, read on the agent). */
  public LandingPolicy withRestorePoint(String json) {
    return new LandingPolicy(environment, application, digest, sourceAuthor, overrideJustification, dryRunDigest,
        dryRunVerdict, dryRunReportSha256, dryRunSignature, votes, changeAuthors, restore.withPoint(json));
  }

  /**
   * This policy with the point of odooPromote's {@code restorePoint}: its evidence JSON and signature, as
   * {@link RestoreEvidence#readOnAgent} read them; null: none.
   */
  public LandingPolicy withRestorePoint(RestoreEvidence point) {
    return new LandingPolicy(environment, application, digest, sourceAuthor, overrideJustification, dryRunDigest,
        dryRunVerdict, dryRunReportSha256, dryRunSignature, votes, changeAuthors, restore.withPointOf(point));
  }

  /** Without SCM change authors. */
  public LandingPolicy(String environment, String application, ImageDigest digest, String sourceAuthor,
      String overrideJustification, ImageDigest dryRunDigest, String dryRunVerdict, String dryRunReportSha256,
      DryRunSignature dryRunSignature, List<CastVote> votes) {
    this(environment, application, digest, sourceAuthor, overrideJustification, dryRunDigest, dryRunVerdict,
        dryRunReportSha256, dryRunSignature, votes, List.of());
  }

  /**
   * One vote of the gate, with the policy groups its voter was found in when voting.
   *
   * @param voteFile the vote file the controller signed; null: an unsigned vote
   */
  public record CastVote(String voter, Vote vote, ApprovalScope scope, Instant at, List<String> groups,
      String voteFile) implements Serializable {
    @Serial
    private static final long serialVersionUID = 2L;
  }

  /** The policy inputs of {@code run} for this candidate: its approved gate's, or none but its own dry-run. */
  public static LandingPolicy of(Run<?, ?> run, String environment, String application, ImageDigest digest) {
    GateAction gate = GateAction.approved(run, environment, application, ImageDigest.text(digest));
    if (gate != null) {
      return gate.landingPolicy();
    }
    DryRunAction dryRun = run.getAction(DryRunAction.class);
    boolean sameDigest = dryRun != null && digest != null && digest.value().equals(dryRun.getImageDigest());
    return new LandingPolicy(environment, application, digest, null, null, sameDigest ? digest : null,
        sameDigest ? dryRun.getVerdict() : null, sameDigest ? dryRun.getReportSha256() : null, null, List.of(),
        BuildIdentity.changeAuthors(run), sameDigest ? RestoreEvidence.of(dryRun) : RestoreEvidence.NONE);
  }

  /** The core's check, built where the promotion engine runs. */
  public LandingCheck check() {
    Map<String, Set<String>> groups = new HashMap<>();
    votes.forEach(v -> groups.put(v.voter(), new HashSet<>(v.groups())));
    return new GateCheck(new GateCheck.Inputs(sourceAuthor, approvals(),
        Optional.ofNullable(dryRunVerdict).map(v -> restore.applyTo(DryRunSignature.evidence(
            ImageDigest.text(dryRunDigest), v, dryRunReportSha256, dryRunSignature))),
        Optional.ofNullable(overrideJustification).map(OverrideRequest::new),
        ballots(votes.stream().map(CastVote::voteFile).toList()), Set.copyOf(changeAuthors), restore.point(),
        restore.signature()),
        zone -> Instant.now(), config -> new VoterGroups(config, groups));
  }

  /**
   * The unsigned votes as the core's approvals, bound to the candidate voted on: they count for no other digest (and
   * not at all under allowedSigners). Signed votes go to the core as {@link #ballots}, which carry their own candidate.
   */
  private List<Approval> approvals() {
    return votes.stream().filter(v -> v.voteFile() == null).map(v -> new Approval(v.voter(), environment(),
        application(), landingDigest(), v.at(), v.vote(), v.scope())).toList();
  }

  /** Votes bound to no candidate digest are refused as before, with the refusal of a missing digest. */
  private ImageDigest landingDigest() {
    return digest != null ? digest : ImageDigest.parse(null, "the landing digest");
  }

  /** The vote files the controller signed (nulls, unsigned votes, skipped) as the core's ballots. */
  static Ballots ballots(List<String> voteFiles) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    for (int i = 0; i < voteFiles.size(); i++) {
      if (voteFiles.get(i) != null) {
        files.put("jenkins-gate-vote-" + (i + 1), voteFiles.get(i).getBytes(StandardCharsets.US_ASCII));
      }
    }
    return Ballots.read(files);
  }
}
