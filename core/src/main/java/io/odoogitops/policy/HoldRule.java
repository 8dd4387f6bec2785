package io.odoogitops.policy;

import java.util.List;
import java.util.Optional;

/**
 * The {@code hold} rule: a digest a rollback took away is not promoted again by accident (a pipeline re-run, image
 * automation) until a newer digest is promoted or someone releases the hold. Rollbacks are never stopped by it: in an
 * incident any known state may be restored.
 */
final class HoldRule {

  static final String RULE = "hold";

  private HoldRule() {}

  static RuleResult evaluate(GateRequest request) {
    Candidate candidate = request.candidate();
    if (candidate.action() == Action.ROLLBACK) {
      return RuleResult.notApplicable(RULE, "a rollback is never stopped by a hold");
    }
    Optional<HoldEvidence> evidence = request.holds();
    if (evidence.isEmpty()) {
      // Neutral wording: the CLI and the Jenkins gate page both show it, and each reads the history its own way.
      return RuleResult.notApplicable(RULE, "no GitOps history was consulted, so no hold is known (holds are read"
          + " from the GitOps repository's history)");
    }
    List<HoldEvidence.Held> holds = evidence.get().holds();
    Optional<HoldEvidence.Held> held = holds.stream().filter(h -> h.digest().equals(candidate.digest())).findFirst();
    if (held.isPresent()) {
      HoldEvidence.Held h = held.get();
      return RuleResult.failed(RULE, candidate.digest() + " is held: rollback commit "
          + h.rollbackCommit().substring(0, Math.min(12, h.rollbackCommit().length())) + " took it away from "
          + candidate.application() + " in " + candidate.environment() + " at " + h.since()
          + "; promote a newer digest, or lift the hold on purpose with '"
          + evidence.get().releaseCommand(candidate.digest()) + "'", List.of());
    }
    return RuleResult.passed(RULE, holds.isEmpty() ? "no hold on " + candidate.application() + " in "
        + candidate.environment() : candidate.digest() + " is not held (" + holds.size() + " other digest(s) are: "
        + String.join(", ", holds.stream().map(h -> h.digest().value()).toList()) + ")");
  }
}
