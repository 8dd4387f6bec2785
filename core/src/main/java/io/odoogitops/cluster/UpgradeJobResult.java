package io.odoogitops.cluster;

import io.odoogitops.odoo.log.OdooLogReader;
import io.odoogitops.dryrun.upgrade.UpgradeOutcome;
import io.odoogitops.odoo.log.OdooUpgradeLog;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The outcome of one Odoo upgrade Job, for the dry-run verdict and its report.
 *
 * @param job the Job's name (already deleted when this result exists)
 * @param pod the pod that ran the upgrade, {@code null} if none was started
 * @param exitCode the container's exit code, {@code null} if it never terminated
 * @param errorLines the ERROR and CRITICAL lines of the log, at most {@link #MAX_ERROR_LINES}, each with the
 *     exception line of its traceback
 * @param logLines how many log lines were read
 * @param odooLog what Odoo's log said: modules loaded with their durations and queries, migration scripts run
 * @param detail one line saying why it failed; {@code null} when it succeeded
 */
public record UpgradeJobResult(
    UpgradeOutcome outcome,
    String job,
    String pod,
    String image,
    List<String> modules,
    String database,
    Integer exitCode,
    List<String> errorLines,
    int logLines,
    Instant startedAt,
    Duration duration,
    String detail,
    OdooUpgradeLog odooLog) {

  public static final int MAX_ERROR_LINES = OdooLogReader.MAX_ERROR_LINES;

  public UpgradeJobResult {
    modules = List.copyOf(modules);
    errorLines = List.copyOf(errorLines);
    odooLog = odooLog == null ? OdooUpgradeLog.empty() : odooLog;
  }

  public boolean passed() {
    return outcome == UpgradeOutcome.SUCCEEDED;
  }

  public String toJson() {
    return ReportJson.write(this);
  }

  public String humanText() {
    StringBuilder text = new StringBuilder()
        .append("odoo upgrade of ").append(String.join(",", modules)).append(" on ").append(database)
        .append(": ").append(outcome).append(" in ").append(duration.toSeconds()).append(" s")
        .append(exitCode == null ? "" : ", exit code " + exitCode).append('\n')
        .append("  image: ").append(image).append('\n')
        .append("  job: ").append(job).append(pod == null ? "" : ", pod " + pod).append('\n');
    if (detail != null) {
      text.append("  why: ").append(detail).append('\n');
    }
    errorLines.forEach(line -> text.append("  | ").append(line).append('\n'));
    return text.toString().stripTrailing();
  }
}
