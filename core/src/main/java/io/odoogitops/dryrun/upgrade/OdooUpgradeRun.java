package io.odoogitops.dryrun.upgrade;

import io.odoogitops.odoo.log.OdooUpgradeLog;
import java.util.List;

/**
 * How {@code odoo -u} went on the clone, as the verdict weighs it and the report shows it.
 *
 * @param outcome {@code SUCCEEDED}, {@code FAILED}, {@code LOG_ERRORS}, {@code TIMED_OUT} or {@link #SKIPPED}
 * @param passed whether the upgrade lets the dry-run pass; a skipped upgrade blocks nothing
 * @param image the image that ran it, pinned by digest; {@code null} for a local Odoo
 * @param job where it ran (the Kubernetes Job's name, {@code local process 1234}), {@code null} when it did not run
 * @param exitCode Odoo's exit code, {@code null} if it never terminated
 * @param errorLines the ERROR and CRITICAL lines of Odoo's log
 * @param durationMs wall time from start to the end of the run
 * @param detail one line saying why it failed or was skipped; {@code null} when it succeeded
 * @param log Odoo's log, parsed; {@code null} when the runner does not parse it (added within schema version 1)
 * @param measurement what the run did to the clone, measured from the database side; {@code null} when it did not
 *     run (added within schema version 1)
 */
public record OdooUpgradeRun(String outcome, boolean passed, List<String> modules, String image, String job,
    Integer exitCode, List<String> errorLines, long durationMs, String detail, OdooUpgradeLog log,
    UpgradeMeasurement measurement) {

  public static final String SKIPPED = "SKIPPED";

  public OdooUpgradeRun {
    modules = List.copyOf(modules);
    errorLines = List.copyOf(errorLines);
  }

  /** A run whose runner parsed no log, not yet measured. */
  public OdooUpgradeRun(String outcome, boolean passed, List<String> modules, String image, String job,
      Integer exitCode, List<String> errorLines, long durationMs, String detail) {
    this(outcome, passed, modules, image, job, exitCode, errorLines, durationMs, detail, null, null);
  }

  /** A run with its parsed log, not yet measured: what a runner returns; the dry-run adds the measurement. */
  public OdooUpgradeRun(String outcome, boolean passed, List<String> modules, String image, String job,
      Integer exitCode, List<String> errorLines, long durationMs, String detail, OdooUpgradeLog log) {
    this(outcome, passed, modules, image, job, exitCode, errorLines, durationMs, detail, log, null);
  }

  /** Not run, for {@code reason}: running it would prove nothing. */
  public static OdooUpgradeRun skipped(List<String> modules, String image, String reason) {
    return new OdooUpgradeRun(SKIPPED, true, modules, image, null, null, List.of(), 0, reason);
  }

  public boolean skipped() {
    return SKIPPED.equals(outcome);
  }

  public OdooUpgradeRun withMeasurement(UpgradeMeasurement value) {
    return new OdooUpgradeRun(outcome, passed, modules, image, job, exitCode, errorLines, durationMs, detail, log,
        value);
  }
}
