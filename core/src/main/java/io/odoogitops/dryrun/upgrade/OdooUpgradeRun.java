package io.odoogitops.dryrun.upgrade;

import io.odoogitops.odoo.log.OdooUpgradeLog;
import java.util.List;

/**
 * How {@code odoo -u} went on the clone, as the verdict weighs it and the report shows it.
 *
 * @param outcome {@code SUCCEEDED}, {@code FAILED}, {@code LOG_ERRORS}, {@code TIMED_OUT} or {@link #SKIPPED}
 * @param passed whether the upgrade lets the dry-run pass; a skipped upgrade blocks nothing
 * @param image the image that ran it, pinned by digest
 * @param job where it ran (e.g. the Kubernetes Job's name), {@code null} when it did not run
 * @param exitCode Odoo's exit code, {@code null} if it never terminated
 * @param errorLines the ERROR and CRITICAL lines of Odoo's log
 * @param durationMs wall time from start to the end of the run
 * @param detail one line saying why it failed or was skipped; {@code null} when it succeeded
 * @param log what Odoo's log said (modules loaded, scripts run); empty when nothing was read
 */
public record OdooUpgradeRun(String outcome, boolean passed, List<String> modules, String image, String job,
    Integer exitCode, List<String> errorLines, long durationMs, String detail, OdooUpgradeLog log) {

  public static final String SKIPPED = "SKIPPED";

  public OdooUpgradeRun {
    modules = List.copyOf(modules);
    errorLines = List.copyOf(errorLines);
    log = log == null ? OdooUpgradeLog.empty() : log;
  }

  /** Without a parsed log. */
  public OdooUpgradeRun(String outcome, boolean passed, List<String> modules, String image, String job,
      Integer exitCode, List<String> errorLines, long durationMs, String detail) {
    this(outcome, passed, modules, image, job, exitCode, errorLines, durationMs, detail, null);
  }

  /** Not run, for {@code reason}: running it would prove nothing. */
  public static OdooUpgradeRun skipped(List<String> modules, String image, String reason) {
    return new OdooUpgradeRun(SKIPPED, true, modules, image, null, null, List.of(), 0, reason);
  }

  public boolean skipped() {
    return SKIPPED.equals(outcome);
  }
}
