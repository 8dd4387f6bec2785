package io.odoogitops.jenkins.gate;

import hudson.model.Run;
import io.odoogitops.config.ReleaseConfig;
import io.odoogitops.gitops.HistoryEntry;
import io.odoogitops.gitops.LandingCheck;
import io.odoogitops.gitops.Trailer;
import io.odoogitops.jenkins.dryrun.DryRunAction;
import io.odoogitops.jenkins.gitops.BuildIdentity;
import io.odoogitops.policy.Action;
import io.odoogitops.policy.Approval;
import io.odoogitops.policy.ApprovalScope;
import io.odoogitops.policy.Candidate;
import io.odoogitops.policy.Decision;
import io.odoogitops.policy.DryRunEvidence;
import io.odoogitops.policy.GateRequest;
import io.odoogitops.policy.OverrideRequest;
import io.odoogitops.policy.ReleasePolicy;
import io.odoogitops.policy.UpstreamEvidence;
import io.odoogitops.policy.Verdict;
import io.odoogitops.policy.Vote;
import java.io.Serial;
import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The release policy as odooPromote and odooRollback apply it: re-evaluated by the core right before each push,
 * against the {@code odoo-gitops.yaml} and history of the commit being built on (the core's {@link LandingCheck}),
 * with the votes of this build's approved gate for the same candidate. A Pipeline that skips the gate, or a policy
 * that changed since the gate opened, is refused there; the decision's trailers ({@code Approved-By},
 * {@code Dry-Run}, {@code Freeze-Override}) are what the commit carries, so a Jenkinsfile cannot write its own.
 *
 * @param initiator who started the build, barred from approving under four-eyes
 * @param dryRunVerdict null when the build has no dry-run of this digest
 */
public record LandingPolicy(String initiator, String sourceAuthor, String overrideJustification, String dryRunDigest,
    String dryRunVerdict, String dryRunReportSha256, List<CastVote> votes) implements Serializable {

  @Serial
  private static final long serialVersionUID = 1L;

  /** How far back the upstream environment's history is searched for the candidate digest. */
  static final int UPSTREAM_HISTORY = 500;

  /** One vote of the gate, with the policy groups its voter was found in when voting. */
  public record CastVote(String voter, Vote vote, ApprovalScope scope, Instant at, List<String> groups)
      implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;
  }

  /** The policy inputs of {@code run} for this candidate: its approved gate's, or none but the starter. */
  public static LandingPolicy of(Run<?, ?> run, String environment, String application, String digest) {
    GateAction gate = GateAction.approved(run, environment, application, digest);
    if (gate != null) {
      return gate.landingPolicy();
    }
    String starter = BuildIdentity.starter(run);
    DryRunAction dryRun = run.getAction(DryRunAction.class);
    boolean sameDigest = dryRun != null && digest != null && digest.equals(dryRun.getImageDigest());
    return new LandingPolicy(starter == null ? "jenkins" : starter, null, null,
        sameDigest ? dryRun.getImageDigest() : null, sameDigest ? dryRun.getVerdict() : null,
        sameDigest ? dryRun.getReportSha256() : null, List.of());
  }

  /** The check the promotion engine runs on the snapshot it is about to commit on; runs on the agent. */
  public LandingCheck check() {
    return (snapshot, promotion) -> {
      ReleaseConfig config = snapshot.config();
      Map<String, Set<String>> groups = new HashMap<>();
      votes.forEach(v -> groups.put(v.voter(), new HashSet<>(v.groups())));
      ReleasePolicy policy = ReleasePolicy.of(config, new VoterGroups(config, groups));
      Candidate candidate = new Candidate(promotion.environment(), promotion.application(),
          promotion.image().digest(), promotion.isRollback() ? Action.ROLLBACK : Action.PROMOTE);
      List<Approval> approvals = new ArrayList<>();
      votes.forEach(v -> approvals.add(new Approval(v.voter(), candidate.environment(), candidate.application(),
          candidate.digest(), v.at(), v.vote(), v.scope())));
      GateRequest.Builder request = GateRequest.builder(candidate)
          .initiator(initiator)
          .sourceAuthor(sourceAuthor)
          .approvals(approvals)
          .at(Instant.now());
      String upstream = config.environment(promotion.environment()).promoteFrom();
      if (upstream != null) {
        request.upstream(new UpstreamEvidence(upstream, snapshot.history(upstream)
            .list(promotion.application(), UPSTREAM_HISTORY).stream().map(HistoryEntry::digest)
            .collect(Collectors.toSet())));
      }
      if (dryRunVerdict != null) {
        request.dryRun(new DryRunEvidence(dryRunDigest, Verdict.parse(dryRunVerdict), dryRunReportSha256));
      }
      if (overrideJustification != null) {
        request.override(new OverrideRequest(overrideJustification));
      }
      Decision decision = policy.evaluate(request.build());
      decision.requireAllowed();
      return decision.trailers().stream().map(t -> new Trailer(t.key(), t.value())).toList();
    };
  }
}
