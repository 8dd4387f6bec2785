package io.odoogitops.restore.backup;

import io.odoogitops.ImageDigest;
import io.odoogitops.config.ConfigLoader;
import io.odoogitops.policy.Candidate;
import io.odoogitops.policy.Decision;
import io.odoogitops.policy.DryRunEvidence;
import io.odoogitops.policy.GateRequest;
import io.odoogitops.policy.ReleasePolicy;
import io.odoogitops.policy.RuleResult;
import io.odoogitops.policy.Verdict;
import io.odoogitops.restore.RestorePoint;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** The gate of the restore point ITs' production environment, asked about points those tests took for real. */
final class GateDecisions {

  private final ReleasePolicy policy;

  GateDecisions(String yaml) {
    this.policy = ReleasePolicy.of(ConfigLoader.load(yaml.getBytes(StandardCharsets.UTF_8), "odoo-gitops.yaml"));
  }

  /** The decision on promoting {@code digest} of shop to production after a RESTORE_REQUIRED dry-run. */
  Decision decide(ImageDigest digest, Instant dryRunFinished, RestorePoint point, Instant at) {
    GateRequest.Builder request = GateRequest.builder(Candidate.promotion("production", "shop", digest))
        .initiator("ci").at(at)
        .dryRun(new DryRunEvidence(digest, Verdict.WARN, "sha256:" + "e".repeat(64), null, true, dryRunFinished));
    if (point != null) {
      request.restorePoint(point);
    }
    return policy.evaluate(request.build());
  }

  static RuleResult restorePointRule(Decision decision) {
    return decision.rules().stream().filter(r -> r.rule().equals("restore-point")).findFirst().orElseThrow();
  }
}
