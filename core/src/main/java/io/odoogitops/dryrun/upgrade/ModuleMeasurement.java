package io.odoogitops.dryrun.upgrade;

import io.odoogitops.dryrun.migrate.LockHold;
import io.odoogitops.dryrun.migrate.RowChange;
import java.util.List;
import java.util.Map;

/**
 * What one module's upgrade did, from its time span in Odoo's log ({@code Module X loaded in Ns}): the locks held
 * meanwhile, the tables rewritten under them, the rows written to the tables it held.
 *
 * @param queries as Odoo logged them, {@code null} when not logged
 * @param scripts the migration scripts Odoo ran for it, as {@code stage version name}
 * @param strongestLock the hold of the strongest mode on a table during its span (the longest of them), {@code null}
 *     when none was seen
 * @param holds its holds of modes that block writers (SHARE and stronger), on tables and indexes
 * @param rewrittenTables tables whose data file changed while it held ACCESS EXCLUSIVE on them
 * @param rowChanges rows written to the tables it held a write lock on (a table several modules wrote to is
 *     attributed to the one that held it longest)
 */
public record ModuleMeasurement(String module, long durationMs, Long queries, List<String> scripts,
    LockHold strongestLock, List<LockHold> holds, List<String> rewrittenTables, Map<String, RowChange> rowChanges) {

  public ModuleMeasurement {
    scripts = List.copyOf(scripts);
    holds = List.copyOf(holds);
    rewrittenTables = List.copyOf(rewrittenTables);
    rowChanges = Map.copyOf(rowChanges);
  }
}
