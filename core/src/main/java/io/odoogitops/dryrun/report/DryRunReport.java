package io.odoogitops.dryrun.report;

import io.odoogitops.ImageDigest;
import io.odoogitops.dryrun.lint.LintFinding;
import io.odoogitops.dryrun.migrate.MigrationMeasurement;
import io.odoogitops.dryrun.neutralize.NeutralizationResult;
import io.odoogitops.dryrun.plan.UpgradePlan;
import io.odoogitops.dryrun.upgrade.OdooUpgradeRun;
import io.odoogitops.dryrun.verdict.Judgement;
import java.time.Instant;
import java.util.List;

/**
 * Everything one dry-run found, as promotion gates read it. The JSON form is a contract: fields are only ever added
 * within a {@link #SCHEMA_VERSION}; renaming or removing one bumps it, and readers refuse versions they do not know.
 *
 * @param source where the data came from ({@code host:port/database}); never credentials
 * @param upgradePlan null when the caller gave no image modules
 * @param totalMigrationMs wall time of the whole Flyway run
 * @param odooUpgrade how {@code odoo -u} went on the clone; null when that phase was not asked for (and in reports
 *     written before it existed: an optional field added within schema version 1)
 */
public record DryRunReport(int schemaVersion, String runId, String imageRef, ImageDigest imageDigest, Instant startedAt,
    Instant finishedAt, String source, CloneInfo staging, NeutralizationResult neutralization, UpgradePlan upgradePlan,
    List<MigrationMeasurement> migrations, long totalMigrationMs, List<LintFinding> lint, Judgement judgement,
    OdooUpgradeRun odooUpgrade) {

  public static final int SCHEMA_VERSION = 1;

  /**
   * @param dropped whether the clone was removed at the end of the run (it always should be)
   * @param swept stale clones of crashed runs that this run removed before starting
   */
  public record CloneInfo(String name, String strategy, long cloneTimeMs, boolean dropped, List<String> swept) {
  }

  public DryRunReport {
    migrations = List.copyOf(migrations);
    lint = List.copyOf(lint);
  }
}
