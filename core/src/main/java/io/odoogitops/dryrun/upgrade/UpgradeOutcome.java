package io.odoogitops.dryrun.upgrade;

import java.util.List;

/**
 * How an {@code odoo -u} run ended, wherever it ran (a Kubernetes Job, a local process, a container). Only
 * {@link #SUCCEEDED} lets a dry-run pass.
 */
public enum UpgradeOutcome {
  /** Exit code 0 and no ERROR or CRITICAL line in the log. */
  SUCCEEDED,
  /** Odoo exited non-zero, or could not start, or its Job failed (including an unpullable image). */
  FAILED,
  /** Exit code 0, but Odoo logged ERROR or CRITICAL: a module's data or migration step failed. */
  LOG_ERRORS,
  /** The upgrade did not finish within the timeout. */
  TIMED_OUT;

  /**
   * The rule every runner applies once the run ended: the exit code overrides a run that looked successful, and an
   * ERROR or CRITICAL line fails a run that exited 0, because Odoo logs a failed data file or migration step and
   * carries on.
   *
   * @param ended how the runner saw it end (its own timeout, its own failure, or {@link #SUCCEEDED})
   * @param detail the runner's one-line why, {@code null} when it saw no problem
   * @param exitCode Odoo's exit code, {@code null} when it never terminated by itself
   */
  public static Ending judge(UpgradeOutcome ended, String detail, Integer exitCode, List<String> errorLines) {
    if (ended == SUCCEEDED && exitCode != null && exitCode != 0) {
      return new Ending(FAILED, "odoo exited with code " + exitCode);
    }
    if (ended == FAILED && exitCode != null) {
      return new Ending(FAILED, "odoo exited with code " + exitCode + (detail == null ? "" : "; " + detail));
    }
    if (ended == SUCCEEDED && !errorLines.isEmpty()) {
      return new Ending(LOG_ERRORS, "odoo exited 0 but logged " + errorLines.size()
          + " ERROR/CRITICAL line(s); first: " + errorLines.get(0));
    }
    return new Ending(ended, detail);
  }

  /** The judged outcome and its one-line why ({@code null} when it succeeded). */
  public record Ending(UpgradeOutcome outcome, String detail) {
  }
}
