package io.odoogitops.dryrun.upgrade;

import io.odoogitops.dryrun.migrate.RelationLocks;
import io.odoogitops.dryrun.migrate.RowChange;
import io.odoogitops.dryrun.migrate.SchemaChange;
import java.util.List;
import java.util.Map;

/**
 * What {@code odoo -u} did to the clone, measured from the database whatever ran it.
 *
 * @param locks per relation, the strongest mode seen and the longest holds of modes that block writers
 * @param rewrittenTables tables whose data file changed (PostgreSQL copied all their rows)
 * @param rewrittenIndexes indexes rebuilt
 * @param schemaChanges catalog before against after
 * @param rowChanges rows inserted, updated, deleted per table, from the statistics counters
 * @param tableRows rows of every table locked against writers (itself or through an index), rewritten or written
 *     to: the larger of before and after the
 *     run (before: counted rows less the run's inserts plus its deletes, or the planner's estimate for a TRUNCATE),
 *     since production blocks at the size it had
 * @param modules per module of Odoo's log, in load order; empty when the log named none
 * @param scriptFindings migration scripts the plan announced that did not run, and ones that ran unannounced
 * @param backends distinct sessions of the run the sampler saw on the clone; 0: it never connected
 * @param lockSamples samples taken
 * @param lockSampleIntervalMs the interval asked for: holds are exact to within one interval
 * @param samplerQueryMs time spent sampling, the measurement's own cost
 * @param error what could not be measured, {@code null} when everything was
 */
public record UpgradeMeasurement(List<RelationLocks> locks, List<String> rewrittenTables,
    List<String> rewrittenIndexes, List<SchemaChange> schemaChanges, Map<String, RowChange> rowChanges,
    Map<String, Long> tableRows, List<ModuleMeasurement> modules, List<String> scriptFindings, int backends,
    int lockSamples, long lockSampleIntervalMs, long samplerQueryMs, String error) {

  public UpgradeMeasurement {
    locks = List.copyOf(locks);
    rewrittenTables = List.copyOf(rewrittenTables);
    rewrittenIndexes = List.copyOf(rewrittenIndexes);
    schemaChanges = List.copyOf(schemaChanges);
    rowChanges = Map.copyOf(rowChanges);
    tableRows = Map.copyOf(tableRows);
    modules = List.copyOf(modules);
    scriptFindings = List.copyOf(scriptFindings);
  }
}
