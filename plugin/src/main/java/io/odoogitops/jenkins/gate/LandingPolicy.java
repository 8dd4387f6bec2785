package io.odoogitops.jenkins.gate;

import hudson.model.Run;
import io.odoogitops.gitops.GateCheck;
import io.odoogitops.gitops.LandingCheck;
import io.odoogitops.jenkins.dryrun.DryRunAction;
import io.odoogitops.policy.Approval;
import io.odoogitops.policy.ApprovalScope;
import io.odoogitops.policy.DryRunEvidence;
import io.odoogitops.policy.OverrideRequest;
import io.odoogitops.policy.Verdict;
import io.odoogitops.policy.Vote;
import java.io.Serial;
import java.io.Serializable;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
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
 * carries the gate's inputs to the agent; the initiator four-eyes bars is the promotion's own.
 *
 * @param environment the candidate the votes were cast for (with {@code application} and {@code digest})
 * @param dryRunVerdict null when the build has no dry-run of this digest
 */
public record LandingPolicy(String environment, String application, String digest, String sourceAuthor,
    String overrideJustification, String dryRunDigest, String dryRunVerdict, String dryRunReportSha256,
    List<CastVote> votes) implements Serializable {

  @Serial
  private static final long serialVersionUID = 1L;

  /** One vote of the gate, with the policy groups its voter was found in when voting. */
  public record CastVote(String voter, Vote vote, ApprovalScope scope, Instant at, List<String> groups)
      implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;
  }

  /** The policy inputs of {@code run} for this candidate: its approved gate's, or none but its own dry-run. */
  public static LandingPolicy of(Run<?, ?> run, String environment, String application, String digest) {
    GateAction gate = GateAction.approved(run, environment, application, digest);
    if (gate != null) {
      return gate.landingPolicy();
    }
    DryRunAction dryRun = run.getAction(DryRunAction.class);
    boolean sameDigest = dryRun != null && digest != null && digest.equals(dryRun.getImageDigest());
    return new LandingPolicy(environment, application, digest, null, null, sameDigest ? dryRun.getImageDigest() : null,
        sameDigest ? dryRun.getVerdict() : null, sameDigest ? dryRun.getReportSha256() : null, List.of());
  }

  /** The core's check, built on the agent where the promotion engine runs. */
  public LandingCheck check() {
    Map<String, Set<String>> groups = new HashMap<>();
    votes.forEach(v -> groups.put(v.voter(), new HashSet<>(v.groups())));
    return new GateCheck(new GateCheck.Inputs(sourceAuthor, approvals(),
        Optional.ofNullable(dryRunVerdict).map(v -> new DryRunEvidence(dryRunDigest, Verdict.parse(v),
            dryRunReportSha256)),
        Optional.ofNullable(overrideJustification).map(OverrideRequest::new)),
        zone -> Instant.now(), config -> new VoterGroups(config, groups));
  }

  /** The votes as the core's approvals, bound to the candidate voted on: they count for no other digest. */
  private List<Approval> approvals() {
    return votes.stream().map(v -> new Approval(v.voter(), environment(), application(), digest(), v.at(), v.vote(),
        v.scope())).toList();
  }
}
