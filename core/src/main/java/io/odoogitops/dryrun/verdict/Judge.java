package io.odoogitops.dryrun.verdict;

import io.odoogitops.ImageDigest;
import io.odoogitops.policy.Verdict;

import io.odoogitops.ReleaseException;
import io.odoogitops.dryrun.lint.LintFinding;
import io.odoogitops.dryrun.lint.Severity;
import io.odoogitops.dryrun.migrate.HeldLock;
import io.odoogitops.dryrun.migrate.LockModes;
import io.odoogitops.dryrun.migrate.MigrationMeasurement;
import io.odoogitops.dryrun.migrate.MigrationRun;
import io.odoogitops.dryrun.migrate.SchemaChange;
import io.odoogitops.dryrun.plan.ModulePlan;
import io.odoogitops.dryrun.plan.UpgradePlan;
import io.odoogitops.dryrun.upgrade.OdooUpgradeRun;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Weighs a dry-run's measurements and findings against a {@link DryRunPolicy}. */
public final class Judge {

  /** The rule id of a failed {@code odoo -u} on the clone. */
  public static final String UPGRADE_RULE = "odoo-upgrade";
  /** The rule id of modules the plan would upgrade or install when no runner ran {@code odoo -u}. */
  public static final String NOT_RUN_RULE = "odoo-upgrade-not-run";

  /** The rule id of ACCESS EXCLUSIVE held too long on a large table or one of its indexes. */
  public static final String ACCESS_EXCLUSIVE_RULE = "max-access-exclusive";
  /** The rule id of a lock of SHARE or stronger (every writer waits) held too long on a large table. */
  public static final String WRITE_BLOCKING_RULE = "max-write-blocking";

  /** Type changes the previous image does not notice: every value it writes still fits. */
  private static final Map<String, List<String>> WIDENINGS = Map.of(
      "smallint", List.of("integer", "bigint", "numeric"),
      "integer", List.of("bigint", "numeric"),
      "bigint", List.of("numeric"),
      "character varying", List.of("text"),
      "real", List.of("double precision"));

  private final DryRunPolicy policy;

  public Judge(DryRunPolicy policy) {
    this.policy = policy;
  }

  /**
   * @param warnings problems found elsewhere (the upgrade plan), each at its own level: a WARN blocks nothing, a
   *     FAIL (a dependency Odoo cannot find) fails the run
   */
  public Judgement judge(ImageDigest imageDigest, MigrationRun run, List<LintFinding> findings, List<Reason> warnings) {
    return judge(imageDigest, run, findings, warnings, null);
  }

  /**
   * @param upgrade how {@code odoo -u} went on the clone, {@code null} when it was not run; a failed upgrade fails
   *     the run whatever the policy: production would not start the new image on the migrated database
   */
  public Judgement judge(ImageDigest imageDigest, MigrationRun run, List<LintFinding> findings, List<Reason> warnings,
      OdooUpgradeRun upgrade) {
    return judge(imageDigest, run, findings, warnings, upgrade, null);
  }

  /**
   * @param plan the upgrade plan, {@code null} without one: when it upgrades modules and {@code upgrade} did not run
   *     them, the verdict cannot be PASS, since nothing measured what Odoo's upgrade does to the schema and data
   */
  public Judgement judge(ImageDigest imageDigest, MigrationRun run, List<LintFinding> findings, List<Reason> warnings,
      OdooUpgradeRun upgrade, UpgradePlan plan) {
    if (imageDigest == null) {
      throw ReleaseException.badInput("image digest '" + imageDigest + "' is not sha256:<64 hex>; a verdict is"
          + " bound to the exact image, never to a tag");
    }
    List<Reason> reasons = new ArrayList<>(warnings);
    for (MigrationMeasurement m : run.migrations()) {
      if (m.status() == MigrationMeasurement.Status.FAILED) {
        reasons.add(new Reason(Verdict.FAIL, "migration-failed", m.label(), "failed on the clone: "
            + firstLine(m.error())));
        continue;
      }
      long rows = m.largestAccessExclusiveRows();
      boolean exclusiveFailed = rows >= policy.largeTableRows()
          && m.accessExclusiveMs() > policy.maxAccessExclusive().toMillis();
      if (exclusiveFailed) {
        reasons.add(new Reason(Verdict.FAIL, ACCESS_EXCLUSIVE_RULE, m.label(), "held ACCESS EXCLUSIVE on "
            + String.join(", ", m.accessExclusiveTables()) + " (" + rows + " rows) for up to "
            + seconds(m.accessExclusiveMs()) + ", limit " + seconds(policy.maxAccessExclusive().toMillis())
            + ": production would block every read and write of it meanwhile"));
      }
      writeBlocking(m, exclusiveFailed, reasons);
      for (String table : m.rewrittenTables()) {
        long tableRows = m.rowCounts().getOrDefault(table, 0L);
        if (tableRows >= policy.largeTableRows()) {
          reasons.add(new Reason(Verdict.WARN, "large-table-rewrite", m.label(), "rewrote " + table + " ("
              + tableRows + " rows): production needs free disk for a second copy of it"));
        }
      }
    }
    if (run.failed() && run.migrations().stream().noneMatch(m -> m.status() == MigrationMeasurement.Status.FAILED)) {
      reasons.add(new Reason(Verdict.FAIL, "migration-failed", "flyway", firstLine(run.failure())));
    }
    if (run.totalDurationMs() > policy.maxTotalDuration().toMillis()) {
      reasons.add(new Reason(Verdict.FAIL, "max-total-duration", "all migrations", "took "
          + seconds(run.totalDurationMs()) + ", limit " + seconds(policy.maxTotalDuration().toMillis())));
    }
    for (LintFinding f : findings) {
      String where = f.file() + ":" + f.line();
      if (policy.forbiddenRules().contains(f.rule())) {
        reasons.add(new Reason(Verdict.FAIL, f.rule(), where, "forbidden by policy: " + f.problem()));
      } else if (f.severity() == Severity.ERROR) {
        reasons.add(new Reason(Verdict.FAIL, f.rule(), where, f.problem()));
      } else if (f.severity() == Severity.WARNING) {
        reasons.add(new Reason(Verdict.WARN, f.rule(), where, f.problem()));
      }
    }
    if (upgrade != null && !upgrade.passed()) {
      reasons.add(new Reason(Verdict.FAIL, UPGRADE_RULE, upgrade.modules().isEmpty() ? "odoo -i"
          : "odoo -u " + String.join(",", upgrade.modules()),
          upgradeFailure(upgrade)));
    }
    notRun(reasons, plan, upgrade);
    if (upgrade != null && !upgrade.skipped()) {
      new UpgradeRules(policy).judge(upgrade, reasons);
    }
    List<String> blockers = rollbackBlockers(run, findings);
    if (upgrade != null && upgrade.measurement() != null) {
      blockers.addAll(schemaBlockers("odoo -u", upgrade.measurement().schemaChanges()));
    }
    RollbackSafety safety = blockers.isEmpty() ? RollbackSafety.PREVIOUS_IMAGE_COMPATIBLE
        : RollbackSafety.RESTORE_REQUIRED;
    if (safety == RollbackSafety.RESTORE_REQUIRED) {
      reasons.add(new Reason(policy.requireRollbackSafe() ? Verdict.FAIL : Verdict.WARN, "rollback-safety",
          "schema", "rolling back to the previous image would need a database restore: " + blockers.get(0)
          + (blockers.size() > 1 ? " (and " + (blockers.size() - 1) + " more)" : "")));
    }
    Verdict verdict = reasons.stream().map(Reason::level).reduce(Verdict.PASS, Verdict::worst);
    return new Judgement(imageDigest, verdict, safety, reasons, blockers);
  }

  /**
   * A migration's lock of SHARE or stronger on a large table (or one of its indexes), kept until its commit: every
   * writer of the table waits up to the migration's duration. Not judged again when ACCESS EXCLUSIVE already failed
   * it, and not for a migration outside a transaction, whose locks are not visible at its end.
   */
  private void writeBlocking(MigrationMeasurement m, boolean exclusiveFailed, List<Reason> reasons) {
    if (exclusiveFailed || !m.transactional() || m.durationMs() <= policy.maxWriteBlocking().toMillis()) {
      return;
    }
    m.locks().stream().filter(l -> l.blocksWriters() && l.table() != null
            && m.rowCounts().getOrDefault(l.table(), 0L) >= policy.largeTableRows())
        .max(Comparator.comparingLong((HeldLock l) -> m.rowCounts().get(l.table()))
            .thenComparingInt(l -> LockModes.strength(l.mode())))
        .ifPresent(l -> reasons.add(new Reason(Verdict.FAIL, WRITE_BLOCKING_RULE, m.label(), "held "
            + LockModes.sqlName(l.mode()) + " on " + ("table".equals(l.kind()) ? l.relation()
            : "index " + l.relation() + " of " + l.table()) + " (" + m.rowCounts().get(l.table()) + " rows) for up to "
            + seconds(m.durationMs()) + ", limit " + seconds(policy.maxWriteBlocking().toMillis())
            + writeBlockingConsequence(l.table()))));
  }

  /** Why a writer-blocking hold fails, and the way out; the same words for SQL migrations and {@code odoo -u}. */
  static String writeBlockingConsequence(String table) {
    return ": production would block every INSERT, UPDATE and DELETE of " + table + " meanwhile; build indexes with"
        + " CREATE INDEX CONCURRENTLY (REINDEX ... CONCURRENTLY) in a migration outside a transaction, or raise"
        + " --max-write-blocking";
  }

  private void notRun(List<Reason> reasons, UpgradePlan plan, OdooUpgradeRun upgrade) {
    if (plan == null) {
      return;
    }
    long modules = plan.with(ModulePlan.Action.UPGRADE).size() + plan.with(ModulePlan.Action.INSTALL).size();
    boolean ran = upgrade != null && !upgrade.skipped();
    if (modules == 0 || ran || (upgrade != null && !upgrade.passed())) {
      return;
    }
    reasons.add(0, new Reason(policy.requireOdooUpgrade() ? Verdict.FAIL : Verdict.WARN, NOT_RUN_RULE, "odoo -u",
        notRunMessage(modules)));
  }

  /** What the reports say in their first lines when modules would be upgraded or installed and nothing ran them. */
  public static String notRunMessage(long modules) {
    return "odoo -u was not run: " + modules + " module(s) would be upgraded or installed and their schema and data"
        + " changes were not measured";
  }

  private static String upgradeFailure(OdooUpgradeRun upgrade) {
    String message = upgrade.outcome() + (upgrade.detail() == null ? "" : ": " + upgrade.detail());
    if (!upgrade.errorLines().isEmpty() && (upgrade.detail() == null
        || !upgrade.detail().contains(upgrade.errorLines().get(0)))) {
      message += "; first error: " + upgrade.errorLines().get(0);
    }
    return message;
  }

  /** What in the migrated schema the previous image would trip over, from what the clone measured. */
  static List<String> rollbackBlockers(MigrationRun run, List<LintFinding> findings) {
    List<String> blockers = new ArrayList<>();
    for (MigrationMeasurement m : run.migrations()) {
      blockers.addAll(schemaBlockers(m.label(), m.schemaChanges()));
    }
    findings.stream().filter(LintFinding::rollbackUnsafe)
        .filter(f -> f.rule().equals("rename"))
        .forEach(f -> blockers.add(f.file() + ":" + f.line() + ": " + f.statement()));
    return blockers;
  }

  /**
   * Changes the previous image trips over: a dropped table or column, a new NOT NULL column without a default, a
   * column type it cannot read back or write (integer to double precision: its ORM maps the column as an integer).
   */
  static List<String> schemaBlockers(String label, List<SchemaChange> changes) {
    List<String> blockers = new ArrayList<>();
    for (SchemaChange c : changes) {
      boolean breaks = switch (c.object()) {
        case TABLE -> c.kind() == SchemaChange.Kind.DROPPED;
        case COLUMN -> switch (c.kind()) {
          case DROPPED -> true;
          case ADDED -> c.after().contains(" NOT NULL") && !c.after().contains(" DEFAULT ");
          case CHANGED -> !compatibleColumnChange(c.before(), c.after());
        };
        default -> false;
      };
      if (breaks) {
        blockers.add(label + ": " + c);
      }
    }
    return blockers;
  }

  static boolean compatibleColumnChange(String before, String after) {
    String typeBefore = type(before);
    String typeAfter = type(after);
    boolean newlyNotNull = after.contains(" NOT NULL") && !before.contains(" NOT NULL");
    if (newlyNotNull && !after.contains(" DEFAULT ")) {
      return false;
    }
    if (typeBefore.equals(typeAfter)) {
      return true;
    }
    String baseBefore = typeBefore.replaceAll("\\(.*", "");
    String baseAfter = typeAfter.replaceAll("\\(.*", "");
    if (baseBefore.equals(baseAfter) && baseBefore.equals("character varying")) {
      return length(typeAfter) >= length(typeBefore);
    }
    if (baseBefore.equals(baseAfter) && baseBefore.equals("numeric")) {
      return !typeAfter.contains("(");
    }
    return WIDENINGS.getOrDefault(baseBefore, List.of()).contains(baseAfter);
  }

  private static String type(String definition) {
    return definition.replaceAll(" NOT NULL.*| DEFAULT .*", "").trim();
  }

  private static int length(String varchar) {
    var m = Pattern.compile("\\((\\d+)\\)").matcher(varchar);
    return m.find() ? Integer.parseInt(m.group(1)) : Integer.MAX_VALUE;
  }

  static String seconds(long millis) {
    return Duration.ofMillis(millis).toMillis() / 1000.0 + " s";
  }

  /**
   * Flyway's errors are a banner of "Key : value" lines; the database's message and the statement's location are
   * what a person needs in a one-line reason.
   */
  static String firstLine(String text) {
    if (text == null) {
      return "no detail";
    }
    List<String> wanted = new ArrayList<>();
    for (String line : text.lines().toList()) {
      String trimmed = line.strip();
      if (trimmed.startsWith("Message") || trimmed.startsWith("Location") || trimmed.startsWith("Line")) {
        wanted.add(trimmed.replaceAll("\\s+:\\s+", ": "));
      }
    }
    if (!wanted.isEmpty()) {
      return String.join("; ", wanted);
    }
    return text.strip().lines().filter(l -> !l.isBlank()).findFirst().orElse(text);
  }
}
