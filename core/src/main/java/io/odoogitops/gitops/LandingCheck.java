package io.odoogitops.gitops;

import io.odoogitops.policy.Decision;
import io.odoogitops.policy.Trailer;

import java.util.List;
import java.util.Map;

/**
 * Re-evaluated right before every push attempt, against the snapshot the commit is built on: a gate decision must hold
 * for the repository state it lands on, not the one seen minutes earlier. Throws a refused {@code ReleaseException}
 * to stop; returns the audit trailers the decision adds (approvals, dry-run, freeze override).
 */
@FunctionalInterface
public interface LandingCheck {

  List<Trailer> check(Snapshot snapshot, Promotion promotion);

  /**
   * What {@link #check} decided, with the decision behind it when the check weighs one (the gate): the engine puts
   * it on the result, so the decision travels with the promotion it was made for.
   */
  default Landing land(Snapshot snapshot, Promotion promotion) {
    return new Landing(check(snapshot, promotion), null);
  }

  /**
   * An accepted landing.
   *
   * @param trailers the audit trailers the decision adds
   * @param decision the decision, or null when the check weighs none
   */
  record Landing(List<Trailer> trailers, Decision decision) {}

  /**
   * Files the decision puts in the promotion commit besides the manifests, by repository path: the evidence behind
   * a trailer of {@code decided} (a restore point's evidence file), so whoever reads the repository sees it.
   */
  default Map<String, byte[]> evidence(Promotion promotion, List<Trailer> decided) {
    return Map.of();
  }

  LandingCheck NONE = (snapshot, promotion) -> List.of();
}
