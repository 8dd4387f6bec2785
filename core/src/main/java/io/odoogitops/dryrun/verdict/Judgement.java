package io.odoogitops.dryrun.verdict;

import io.odoogitops.ImageDigest;
import io.odoogitops.policy.Verdict;

import java.util.List;

/**
 * The verdict of one dry-run and why, bound to the image digest it was run for: a gate must refuse to reuse it for
 * any other digest.
 */
public record Judgement(ImageDigest imageDigest, Verdict verdict, RollbackSafety rollbackSafety, List<Reason> reasons,
    List<String> rollbackBlockers) {

  public Judgement {
    reasons = List.copyOf(reasons);
    rollbackBlockers = List.copyOf(rollbackBlockers);
  }
}
