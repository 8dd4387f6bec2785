package io.odoogitops.dryrun.report;

import io.odoogitops.dryrun.lint.LintFinding;
import io.odoogitops.dryrun.migrate.HeldLock;
import io.odoogitops.dryrun.migrate.MigrationMeasurement;
import io.odoogitops.dryrun.migrate.SchemaChange;
import io.odoogitops.dryrun.plan.ModulePlan;
import io.odoogitops.dryrun.plan.MigrationScript;
import io.odoogitops.dryrun.upgrade.OdooUpgradeRun;
import io.odoogitops.dryrun.migrate.LockHold;
import io.odoogitops.dryrun.migrate.RelationLocks;
import io.odoogitops.dryrun.migrate.RowChange;
import io.odoogitops.dryrun.upgrade.ModuleMeasurement;
import io.odoogitops.dryrun.upgrade.UpgradeMeasurement;
import io.odoogitops.dryrun.verdict.Judge;
import io.odoogitops.dryrun.verdict.Reason;
import java.util.Map;
import java.util.stream.Collectors;

/** The report for people: the verdict first, then what production would suffer, migration by migration. */
public final class MarkdownReport {

  private MarkdownReport() {
  }

  /** The modules the plan installs ({@code -i}), empty without a plan. */
  private static java.util.List<String> installs(DryRunReport r) {
    return r.upgradePlan() == null ? java.util.List.of() : r.upgradePlan().names(ModulePlan.Action.INSTALL);
  }

  public static String render(DryRunReport r, String jsonSha256) {
    StringBuilder md = new StringBuilder();
    md.append("# Dry-run: ").append(r.judgement().verdict()).append("\n\n");
    // Said before anything else: a PASS-looking table would otherwise hide that Odoo's own upgrade was not measured
    r.judgement().reasons().stream().filter(reason -> reason.rule().equals(Judge.NOT_RUN_RULE)).forEach(reason ->
        md.append("> **").append(reason.level()).append(": ").append(escape(reason.message())).append("**\n\n"));
    md.append("| | |\n|---|---|\n");
    row(md, "Image", (r.imageRef() == null ? "" : r.imageRef() + " ") + "`" + r.imageDigest() + "`");
    row(md, "Rollback", r.judgement().rollbackSafety().name().replace('_', ' ').toLowerCase());
    row(md, "Source", r.source());
    row(md, "Clone", r.staging().name() + " (" + r.staging().strategy() + ", " + r.staging().cloneTimeMs() + " ms"
        + (r.staging().dropped() ? ", dropped" : ", NOT dropped") + ")");
    row(md, "Migrations", r.migrations().size() + " in " + r.totalMigrationMs() + " ms");
    if (r.odooUpgrade() != null) {
      row(md, "Odoo upgrade", "`odoo -u` " + r.odooUpgrade().outcome() + " in " + r.odooUpgrade().durationMs()
          + " ms" + (installs(r).isEmpty() ? "" : ", installing " + String.join(", ", installs(r))));
    }
    row(md, "Run", r.runId() + ", " + r.startedAt() + " to " + r.finishedAt());
    row(md, "Report digest", "sha256:" + jsonSha256 + " (of dry-run.json)");

    md.append("\n## Why\n\n");
    if (r.judgement().reasons().isEmpty()) {
      md.append("Nothing to report: every threshold held.\n");
    }
    for (Reason reason : r.judgement().reasons()) {
      md.append("- **").append(reason.level()).append("** `").append(reason.rule()).append("` ")
          .append(escape(reason.subject())).append(": ").append(escape(reason.message())).append('\n');
    }

    md.append("\n## Migrations\n\n");
    md.append("| Migration | Status | Duration | ACCESS EXCLUSIVE | Rewritten | Rows changed |\n");
    md.append("|---|---|---:|---|---|---|\n");
    for (MigrationMeasurement m : r.migrations()) {
      md.append("| ").append(escape(m.label())).append(" | ").append(m.status())
          .append(m.transactional() ? "" : " (no transaction)").append(" | ").append(m.durationMs()).append(" ms | ")
          .append(m.accessExclusiveTables().isEmpty() ? "-" : String.join(", ", m.accessExclusiveTables())
              + " (≤ " + m.accessExclusiveMs() + " ms)")
          .append(" | ").append(m.rewrittenTables().isEmpty() ? "-" : String.join(", ", m.rewrittenTables()))
          .append(" | ").append(rows(m.rowChanges()))
          .append(" |\n");
    }
    for (MigrationMeasurement m : r.migrations()) {
      md.append("\n### ").append(escape(m.label())).append("\n\n");
      if (m.error() != null) {
        md.append("```\n").append(m.error().strip()).append("\n```\n");
      }
      for (HeldLock lock : m.locks()) {
        md.append("- lock: ").append(lock.mode()).append(" on ").append(lock.kind()).append(' ')
            .append(lock.relation()).append('\n');
      }
      for (SchemaChange change : m.schemaChanges()) {
        md.append("- schema: ").append(escape(change.toString())).append('\n');
      }
    }

    if (r.odooUpgrade() != null) {
      upgrade(md, r.odooUpgrade());
    }

    if (!r.lint().isEmpty()) {
      md.append("\n## Lint\n\n");
      for (LintFinding f : r.lint()) {
        md.append("- ").append(f.severity()).append(" `").append(f.rule()).append("` ").append(f.file()).append(':')
            .append(f.line()).append(": ").append(escape(f.problem())).append(". Fix: ").append(escape(f.fix()))
            .append('\n');
      }
    }

    if (r.upgradePlan() != null) {
      md.append("\n## Odoo upgrade plan (").append(r.upgradePlan().series()).append(")\n\n");
      md.append("Odoo upgrades ").append(r.upgradePlan().with(ModulePlan.Action.UPGRADE).size())
          .append(" module(s) and installs ").append(installs(r).size()).append(installs(r).isEmpty() ? ""
              : " (`-i " + String.join(",", installs(r)) + "`)").append(".\n\n");
      for (ModulePlan m : r.upgradePlan().modules()) {
        if (m.action() == ModulePlan.Action.UNCHANGED) {
          continue;
        }
        md.append("- ").append(m.action()).append(" **").append(m.name()).append("**: ").append(escape(m.reason()))
            .append('\n');
        for (MigrationScript s : m.scripts()) {
          md.append("  - ").append(s.stage()).append(": `").append(s.file()).append("`\n");
        }
      }
      md.append("- unchanged: ").append(r.upgradePlan().with(ModulePlan.Action.UNCHANGED).size())
          .append(" module(s)\n");
    }

    if (r.neutralization() != null) {
      md.append("\n## Neutralization\n\n");
      md.append("- method: ").append(r.neutralization().method()).append(" (").append(r.neutralization().reason())
          .append(")\n");
      r.neutralization().files().forEach(f -> md.append("- ").append(f.module()).append("/data/neutralize.sql: ")
          .append(f.rowsPerStatement().size()).append(" statement(s), ").append(f.rows()).append(" row(s) (from ")
          .append(f.origin()).append(")\n"));
      if (!r.neutralization().withoutFile().isEmpty()) {
        md.append("- installed, nothing to neutralize: ").append(r.neutralization().withoutFile().size())
            .append(" module(s)\n");
      }
      r.neutralization().applied().forEach(s -> md.append("- ").append(s.id()).append(": ").append(s.rows())
          .append(" row(s) (as Odoo's ").append(s.reference()).append(")\n"));
      if (!r.neutralization().skipped().isEmpty()) {
        md.append("- not applicable here: ").append(String.join(", ", r.neutralization().skipped())).append('\n');
      }
      r.neutralization().userScripts().forEach(s -> md.append("- user script: ").append(s).append('\n'));
      md.append("- checks passed: ").append(r.neutralization().checks().size()).append(" (")
          .append(r.neutralization().checks().stream().map(c -> c.id() + " on " + c.table())
              .collect(java.util.stream.Collectors.joining(", "))).append(")\n");
    }
    return md.toString();
  }

  private static void upgrade(StringBuilder md, OdooUpgradeRun u) {
    md.append("\n## Odoo upgrade (odoo -u)\n\n");
    md.append("- outcome: **").append(u.outcome()).append("**").append(u.detail() == null ? ""
        : ": " + escape(u.detail())).append('\n');
    md.append("- modules: ").append(u.modules().isEmpty() ? "none" : String.join(", ", u.modules())).append('\n');
    md.append("- image: `").append(u.image()).append("`\n");
    if (u.job() != null) {
      md.append("- ran as: ").append(u.job()).append(", ").append(u.durationMs()).append(" ms")
          .append(u.exitCode() == null ? "" : ", exit code " + u.exitCode()).append('\n');
    }
    if (!u.errorLines().isEmpty()) {
      md.append("\n```\n");
      u.errorLines().forEach(line -> md.append(line).append('\n'));
      md.append("```\n");
    }
    UpgradeMeasurement m = u.measurement();
    if (m == null) {
      return;
    }
    md.append("- measured: ").append(m.lockSamples()).append(" lock samples every ").append(m.lockSampleIntervalMs())
        .append(" ms (holds exact to ±").append(m.lockSampleIntervalMs()).append(" ms), ").append(m.backends())
        .append(" session(s) of the run seen").append(m.error() == null ? "" : "; incomplete: " + escape(m.error()))
        .append('\n');
    if (!m.modules().isEmpty()) {
      md.append("\n| Module | Duration | Queries | Scripts | Strongest lock (hold) | Rewritten | Rows changed |\n");
      md.append("|---|---:|---:|---|---|---|---|\n");
      for (ModuleMeasurement mod : m.modules()) {
        LockHold lock = mod.strongestLock();
        md.append("| ").append(mod.module()).append(" | ").append(mod.durationMs()).append(" ms | ")
            .append(mod.queries() == null ? "-" : mod.queries()).append(" | ")
            .append(mod.scripts().isEmpty() ? "-" : escape(String.join(", ", mod.scripts()))).append(" | ")
            .append(lock == null ? "-" : lock.mode() + " on " + lock.relation() + " (" + lock.duration().toMillis()
                + " ms)")
            .append(" | ").append(mod.rewrittenTables().isEmpty() ? "-" : String.join(", ", mod.rewrittenTables()))
            .append(" | ").append(rows(mod.rowChanges())).append(" |\n");
      }
    } else if (u.log() != null) {
      md.append("- Odoo's log named no loaded module: nothing attributed to modules\n");
    }
    md.append('\n');
    for (RelationLocks locks : m.locks()) {
      if (locks.longestHolds().isEmpty()) {
        continue;
      }
      md.append("- lock: ").append(locks.strongestMode()).append(" on ").append(locks.kind()).append(' ')
          .append(locks.relation()).append(", longest holds: ").append(locks.longestHolds().stream()
              .map(h -> h.mode() + " " + h.duration().toMillis() + " ms (" + h.start() + " to " + h.end() + ")")
              .collect(Collectors.joining(", "))).append('\n');
    }
    if (!m.rewrittenTables().isEmpty() || !m.rewrittenIndexes().isEmpty()) {
      md.append("- rewritten: ").append(String.join(", ", m.rewrittenTables()))
          .append(m.rewrittenIndexes().isEmpty() ? "" : "; indexes " + String.join(", ", m.rewrittenIndexes()))
          .append('\n');
    }
    m.rowChanges().forEach((table, change) -> md.append("- rows changed: ").append(table).append(' ')
        .append(change).append(" (of ").append(m.tableRows().getOrDefault(table, 0L)).append(")\n"));
    m.schemaChanges().forEach(c -> md.append("- schema: ").append(escape(c.toString())).append('\n'));
    m.scriptFindings().forEach(f -> md.append("- script: ").append(escape(f)).append('\n'));
  }

  /** {@code table +inserted ~updated -deleted}, what a migration wrote; {@code -} when nothing. */
  private static String rows(Map<String, RowChange> changes) {
    return changes.isEmpty() ? "-" : new java.util.TreeMap<>(changes).entrySet().stream()
        .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
  }

  private static void row(StringBuilder md, String key, String value) {
    md.append("| ").append(key).append(" | ").append(value).append(" |\n");
  }

  private static String escape(String text) {
    return text == null ? "" : text.replace("|", "\\|").replace("\n", " ");
  }
}
