package io.odoogitops.cluster;

/** How an Odoo upgrade Job ended. Only {@link #SUCCEEDED} lets a dry-run pass. */
public enum UpgradeOutcome {
  /** Exit code 0 and no ERROR or CRITICAL line in the log. */
  SUCCEEDED,
  /** The container exited non-zero, or the Job failed (including its deadline or an unpullable image). */
  FAILED,
  /** Exit code 0, but Odoo logged ERROR or CRITICAL: a module's data or migration step failed. */
  LOG_ERRORS,
  /** The upgrade did not finish within the timeout. */
  TIMED_OUT
}
