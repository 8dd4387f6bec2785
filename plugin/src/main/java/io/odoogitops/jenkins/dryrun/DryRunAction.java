package io.odoogitops.jenkins.dryrun;

import hudson.model.Run;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jenkins.model.RunAction2;

/**
 * The dry-run at a glance on the build page: verdict, rollback safety, and per migration how long it took, which
 * tables it held ACCESS EXCLUSIVE and which it rewrote, with links to the archived reports. Plain fields only, so
 * the build record stays readable whatever the core's report classes become.
 */
public class DryRunAction implements RunAction2 {

  private final String verdict;
  private final String rollbackSafety;
  private final String imageDigest;
  private final String reportSha256;
  private final String report;
  private final String markdown;
  private final List<String> reasons;
  private final List<MigrationRow> migrations;
  /** ISO instant; null in build records written before it was kept (the gate then accepts no restore point). */
  private final String finishedAt;
  private transient Run<?, ?> run;

  /** From the core's plain summary of the dry-run ({@code DryRunOutcome.plainSummary}), as odooDryRun returns it. */
  @SuppressWarnings("unchecked")
  public DryRunAction(Map<String, Object> summary) {
    this.verdict = (String) summary.get("verdict");
    this.rollbackSafety = (String) summary.get("rollbackSafety");
    this.imageDigest = (String) summary.get("imageDigest");
    this.reportSha256 = (String) summary.get("reportSha256");
    this.report = (String) summary.get("report");
    this.markdown = (String) summary.get("markdown");
    // ArrayList, not List.copyOf: build.xml is read back by XStream, whose JEP-200 filter knows ArrayList.
    this.reasons = new ArrayList<>((List<String>) summary.get("reasons"));
    List<MigrationRow> rows = new ArrayList<>();
    for (Map<String, Object> m : (List<Map<String, Object>>) summary.get("migrations")) {
      rows.add(new MigrationRow((String) m.get("migration"), (String) m.get("status"), (Long) m.get("durationMs"),
          (Long) m.get("accessExclusiveMs"), String.join(", ", (List<String>) m.get("accessExclusiveTables")),
          String.join(", ", (List<String>) m.get("rewrittenTables"))));
    }
    this.migrations = rows;
    this.finishedAt = (String) summary.get("finishedAt");
  }

  /** One migration's line of the summary table. */
  public static final class MigrationRow {
    private final String migration;
    private final String status;
    private final long durationMs;
    private final long accessExclusiveMs;
    private final String accessExclusiveTables;
    private final String rewrittenTables;

    MigrationRow(String migration, String status, long durationMs, long accessExclusiveMs,
        String accessExclusiveTables, String rewrittenTables) {
      this.migration = migration;
      this.status = status;
      this.durationMs = durationMs;
      this.accessExclusiveMs = accessExclusiveMs;
      this.accessExclusiveTables = accessExclusiveTables;
      this.rewrittenTables = rewrittenTables;
    }

    public String getMigration() {
      return migration;
    }

    public String getStatus() {
      return status;
    }

    public long getDurationMs() {
      return durationMs;
    }

    public long getAccessExclusiveMs() {
      return accessExclusiveMs;
    }

    public String getAccessExclusiveTables() {
      return accessExclusiveTables;
    }

    public String getRewrittenTables() {
      return rewrittenTables;
    }
  }

  @Override
  public String getIconFileName() {
    return "symbol-flask";
  }

  @Override
  public String getDisplayName() {
    return "Dry-run: " + verdict;
  }

  @Override
  public String getUrlName() {
    return "odoo-dry-run";
  }

  public String getVerdict() {
    return verdict;
  }

  public String getRollbackSafety() {
    return rollbackSafety;
  }

  public String getImageDigest() {
    return imageDigest;
  }

  public String getReportSha256() {
    return reportSha256;
  }

  /** When the dry-run finished (ISO instant): a restore point must be taken after it; null when not recorded. */
  public String getFinishedAt() {
    return finishedAt;
  }

  /** Link to the archived Markdown report, relative to the build. */
  public String getMarkdownUrl() {
    return "artifact/" + markdown;
  }

  public String getReportUrl() {
    return "artifact/" + report;
  }

  public List<String> getReasons() {
    return reasons;
  }

  public List<MigrationRow> getMigrations() {
    return List.copyOf(migrations);
  }

  public Run<?, ?> getRun() {
    return run;
  }

  @Override
  public void onAttached(Run<?, ?> r) {
    this.run = r;
  }

  @Override
  public void onLoad(Run<?, ?> r) {
    this.run = r;
  }
}
