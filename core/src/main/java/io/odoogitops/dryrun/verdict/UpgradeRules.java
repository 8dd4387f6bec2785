package io.odoogitops.dryrun.verdict;

import io.odoogitops.dryrun.migrate.LockHold;
import io.odoogitops.dryrun.migrate.LockModes;
import io.odoogitops.dryrun.migrate.RelationLocks;
import io.odoogitops.dryrun.migrate.RowChange;
import io.odoogitops.dryrun.upgrade.ModuleMeasurement;
import io.odoogitops.dryrun.upgrade.OdooUpgradeRun;
import io.odoogitops.dryrun.upgrade.UpgradeMeasurement;
import io.odoogitops.odoo.log.OdooUpgradeLog;
import io.odoogitops.policy.Verdict;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The thresholds of the SQL migrations, applied to what {@code odoo -u} did to the clone: the same production
 * suffers from a lock whether a Flyway file or an ORM schema update took it.
 */
final class UpgradeRules {

  static final String LOG_RULE = "odoo-upgrade-log";
  static final String NO_CONNECTION_RULE = "odoo-upgrade-no-connection";
  static final String MASS_UPDATE_RULE = "mass-update";
  static final String SCRIPT_RULE = "odoo-migration-script";
  static final String MEASUREMENT_RULE = "upgrade-measurement";
  static final String NOT_UPGRADED_RULE = "odoo-upgrade-module-not-upgraded";

  private final DryRunPolicy policy;

  UpgradeRules(DryRunPolicy policy) {
    this.policy = policy;
  }

  void judge(OdooUpgradeRun upgrade, List<Reason> reasons) {
    OdooUpgradeLog log = upgrade.log();
    if (log != null && log.odooLines() == 0) {
      reasons.add(new Reason(Verdict.FAIL, LOG_RULE, "odoo -u", "printed no line in Odoo's log format, so nothing"
          + " says which modules it upgraded; check that --odoo-bin is Odoo and that --odoo-arg does not send the"
          + " log to a file (--logfile)"));
    } else if (log != null && log.modules().isEmpty() && upgrade.passed()) {
      reasons.add(new Reason(Verdict.WARN, LOG_RULE, "odoo -u", "Odoo's log names no loaded module (\"Module X"
          + " loaded in ...\"), so locks and rows are not attributed to modules; run it with --log-level=info"));
    } else if (log != null && upgrade.passed()) {
      // Odoo logs "Module X loaded" at INFO for exactly the modules it installs or upgrades: one of the plan's
      // missing there was not upgraded (not installed on the clone, not on the addons path), so none of its
      // release was measured, as if no runner had run it
      for (String module : upgrade.modules()) {
        if (log.module(module).isEmpty()) {
          reasons.add(new Reason(policy.requireOdooUpgrade() ? Verdict.FAIL : Verdict.WARN, NOT_UPGRADED_RULE,
              "module " + module, "odoo -u exited 0 but its log never reports " + module + " loaded (\"Module "
              + module + " loaded in ...\"), so it was not upgraded and its schema and data changes were not"
              + " measured; check that it is installed on the clone and on the addons path Odoo was given"));
        }
      }
    }
    UpgradeMeasurement m = upgrade.measurement();
    if (m == null) {
      return;
    }
    // a run that failed is already a FAIL with its own reason, the one worth reading first
    if (upgrade.passed() && m.backends() == 0 && m.rowChanges().isEmpty() && m.lockSamples() > 0) {
      reasons.add(new Reason(Verdict.FAIL, NO_CONNECTION_RULE, "odoo -u", "never connected to the clone (no session"
          + " of it in " + m.lockSamples() + " lock samples, no row written), so it upgraded some other database or"
          + " none; remove db_host/db_port/db_user/db_name from the Odoo configuration it was given"));
    }
    // a lock on an index is judged as one on its table (a REINDEX's ACCESS EXCLUSIVE on it stops every query of
    // the table); per table the longest hold of the table and its indexes, so 22 indexes make one reason, not 23
    Map<String, List<RelationLocks>> byTable = new TreeMap<>();
    m.locks().stream().filter(l -> l.table() != null)
        .forEach(l -> byTable.computeIfAbsent(l.table(), t -> new ArrayList<>()).add(l));
    byTable.forEach((table, relations) -> {
      long rows = m.tableRows().getOrDefault(table, 0L);
      if (rows < policy.largeTableRows()) {
        return;
      }
      LockHold exclusive = longest(relations, mode -> mode.equals(LockModes.ACCESS_EXCLUSIVE))
          .filter(hold -> hold.duration().compareTo(policy.maxAccessExclusive()) > 0).orElse(null);
      if (exclusive != null) {
        reasons.add(new Reason(Verdict.FAIL, Judge.ACCESS_EXCLUSIVE_RULE, subject(m, exclusive),
            "held ACCESS EXCLUSIVE on " + on(exclusive, table, rows) + " for "
            + Judge.seconds(exclusive.duration().toMillis()) + " (" + exclusive.start() + " to " + exclusive.end()
            + "), limit " + Judge.seconds(policy.maxAccessExclusive().toMillis()) + ": production would block every"
            + " read and write of " + table + " meanwhile"));
      }
      longest(relations, LockModes::blocksWriters)
          .filter(hold -> hold.duration().compareTo(policy.maxWriteBlocking()) > 0 && hold != exclusive)
          .ifPresent(hold -> reasons.add(new Reason(Verdict.FAIL, Judge.WRITE_BLOCKING_RULE, subject(m, hold),
              "held " + LockModes.sqlName(hold.mode()) + " on " + on(hold, table, rows) + " for "
              + Judge.seconds(hold.duration().toMillis()) + " (" + hold.start() + " to " + hold.end() + "), limit "
              + Judge.seconds(policy.maxWriteBlocking().toMillis()) + Judge.writeBlockingConsequence(table))));
    });
    for (String table : m.rewrittenTables()) {
      long rows = m.tableRows().getOrDefault(table, 0L);
      if (rows >= policy.largeTableRows()) {
        reasons.add(new Reason(Verdict.WARN, "large-table-rewrite", subject(m, table), "rewrote " + table + " ("
            + rows + " rows): production needs free disk for a second copy of it"));
      }
    }
    for (Map.Entry<String, RowChange> e : m.rowChanges().entrySet()) {
      long rows = m.tableRows().getOrDefault(e.getKey(), 0L);
      long updated = e.getValue().updated();
      if (rows >= policy.largeTableRows() && updated > policy.maxRowsRewritten() * rows) {
        reasons.add(new Reason(Verdict.WARN, MASS_UPDATE_RULE, subject(m, e.getKey()), "stored field recompute or"
            + " mass update: " + updated + " rows of " + e.getKey() + " (" + rows + " rows) updated, more than "
            + Math.round(policy.maxRowsRewritten() * 100) + " %: each update writes a new row version and its index"
            + " entries, and locks the rows against every writer until the module's commit"));
      }
    }
    m.scriptFindings().forEach(f -> reasons.add(new Reason(Verdict.WARN, SCRIPT_RULE, "odoo -u", f)));
    if (m.error() != null) {
      // an unmeasured hold could be any length: a gate that accepts WARN must not let it through
      reasons.add(new Reason(Verdict.FAIL, MEASUREMENT_RULE, "odoo -u", "the locks and rows of odoo -u were not"
          + " fully measured (" + m.error() + "), so a hold of any length may have gone unseen; rerun the dry-run"));
    }
  }

  private static Optional<LockHold> longest(List<RelationLocks> relations,
      Predicate<String> mode) {
    return relations.stream().flatMap(r -> r.longestHolds().stream()).filter(h -> mode.test(h.mode()))
        .max(Comparator.comparing(LockHold::duration));
  }

  private static String on(LockHold hold, String table, long rows) {
    return ("index".equals(hold.kind()) ? "index " + hold.relation() + " of " + table : table) + " (" + rows
        + " rows)";
  }

  private static String subject(UpgradeMeasurement m, LockHold hold) {
    return m.modules().stream().filter(mod -> mod.holds().contains(hold)).map(ModuleMeasurement::module)
        .findFirst().map(name -> "module " + name).orElse("odoo -u");
  }

  private static String subject(UpgradeMeasurement m, String table) {
    List<String> modules = m.modules().stream().filter(mod -> mod.rowChanges().containsKey(table)
        || mod.rewrittenTables().contains(table)).map(ModuleMeasurement::module).toList();
    return modules.isEmpty() ? "odoo -u" : "module " + String.join(", ", modules);
  }
}
