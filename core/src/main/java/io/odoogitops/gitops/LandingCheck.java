package io.odoogitops.gitops;

import io.odoogitops.policy.Trailer;

import java.util.List;

/**
 * Re-evaluated right before every push attempt, against the snapshot the commit is built on: a gate decision must hold
 * for the repository state it lands on, not the one seen minutes earlier. Throws a refused {@code ReleaseException}
 * to stop; returns the audit trailers the decision adds (approvals, dry-run, freeze override).
 */
@FunctionalInterface
public interface LandingCheck {

  List<Trailer> check(Snapshot snapshot, Promotion promotion);

  LandingCheck NONE = (snapshot, promotion) -> List.of();
}
