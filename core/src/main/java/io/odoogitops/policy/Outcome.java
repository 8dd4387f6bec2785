package io.odoogitops.policy;

/** How one rule of a decision came out. */
public enum Outcome {
  PASSED,
  FAILED,
  /** The rule does not apply here (no gate configured, or a rollback). */
  NOT_APPLICABLE
}
