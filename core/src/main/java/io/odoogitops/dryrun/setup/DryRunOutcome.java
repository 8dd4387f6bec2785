package io.odoogitops.dryrun.setup;

import io.odoogitops.dryrun.migrate.MigrationMeasurement;
import io.odoogitops.dryrun.report.DryRunReport;
import io.odoogitops.dryrun.report.ReportFiles;
import io.odoogitops.dryrun.verdict.Reason;
import io.odoogitops.policy.Verdict;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A finished dry-run: the report, the files it was written to, and what the caller should tell its user.
 *
 * @param exitCode 0 for PASS, the configured WARN code for WARN, 1 (refused) for FAIL
 */
public record DryRunOutcome(DryRunReport report, ReportFiles files, int exitCode) {

  public DryRunOutcome {
    Objects.requireNonNull(report, "report");
    Objects.requireNonNull(files, "files");
  }

  public Verdict verdict() {
    return report.judgement().verdict();
  }

  /** The reasons as one line each: {@code LEVEL rule subject: message}. */
  public List<String> reasonLines() {
    List<String> lines = new ArrayList<>();
    for (Reason reason : report.judgement().reasons()) {
      lines.add(reason.level() + " " + reason.rule() + " " + reason.subject() + ": " + reason.message());
    }
    return lines;
  }

  /** The machine-readable summary ({@code --output json}): values as the report has them, absolute paths. */
  public Map<String, Object> summary() {
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("verdict", report.judgement().verdict());
    summary.put("rollbackSafety", report.judgement().rollbackSafety());
    summary.put("imageDigest", report.imageDigest().value());
    summary.put("report", files.json().toString());
    summary.put("reportSha256", "sha256:" + files.sha256());
    summary.put("reasons", report.judgement().reasons());
    if (report.odooUpgrade() != null) {
      summary.put("odooUpgrade", report.odooUpgrade());
    }
    return summary;
  }

  /**
   * The summary in plain values only (strings, numbers, lists and maps of them), for a caller that must serialize it
   * without knowing the core's types, e.g. across a Jenkins agent channel or into a build record.
   *
   * @param path how a report file is named to the caller's user, e.g. relative to a workspace
   */
  public Map<String, Object> plainSummary(Function<Path, String> path) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("verdict", report.judgement().verdict().name());
    map.put("rollbackSafety", report.judgement().rollbackSafety().name());
    map.put("imageDigest", report.imageDigest().value());
    map.put("report", path.apply(files.json()));
    map.put("reportSha256", "sha256:" + files.sha256());
    map.put("reportSha256File", path.apply(files.json().resolveSibling(ReportFiles.JSON + ".sha256")));
    map.put("markdown", path.apply(files.markdown()));
    map.put("junit", path.apply(files.junit()));
    map.put("reasons", reasonLines());
    List<Map<String, Object>> migrations = new ArrayList<>();
    for (MigrationMeasurement m : report.migrations()) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("migration", m.label());
      row.put("status", m.status().name());
      row.put("durationMs", m.durationMs());
      row.put("accessExclusiveMs", m.accessExclusiveMs());
      row.put("accessExclusiveTables", new ArrayList<>(m.accessExclusiveTables()));
      row.put("rewrittenTables", new ArrayList<>(m.rewrittenTables()));
      migrations.add(row);
    }
    map.put("migrations", migrations);
    map.put("totalMigrationMs", report.totalMigrationMs());
    // The gate's bound on restore points: one taken before this moment may predate data the verdict relied on.
    map.put("finishedAt", report.finishedAt() == null ? null : report.finishedAt().toString());
    return map;
  }

  /** What a person reads: the verdict, every reason, the upgrade's outcome and where the reports are. */
  public String text() {
    StringBuilder text = new StringBuilder();
    text.append("dry-run ").append(report.judgement().verdict()).append(" for ").append(report.imageDigest())
        .append(" (rollback: ").append(report.judgement().rollbackSafety().name().toLowerCase().replace('_', ' '))
        .append(")\n");
    reasonLines().forEach(line -> text.append("  ").append(line).append('\n'));
    if (report.odooUpgrade() != null) {
      text.append("odoo -u ").append(String.join(",", report.odooUpgrade().modules())).append(": ")
          .append(report.odooUpgrade().outcome()).append(" in ").append(report.odooUpgrade().durationMs())
          .append(" ms\n");
    }
    text.append("report: ").append(files.json()).append(" (sha256:").append(files.sha256()).append(")\n");
    text.append("        ").append(files.markdown()).append("\n        ").append(files.junit());
    return text.toString();
  }
}
