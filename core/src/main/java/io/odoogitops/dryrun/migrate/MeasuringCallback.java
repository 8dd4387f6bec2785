package io.odoogitops.dryrun.migrate;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;

/**
 * Measures each migration from inside Flyway. Flyway calls BEFORE_EACH_MIGRATE and AFTER_EACH_MIGRATE on the
 * migration's own connection and, for a transactional migration, inside its transaction: the "after" hook is the
 * last moment its locks are still visible in {@code pg_locks} before the commit releases them.
 */
final class MeasuringCallback implements Callback {

  private final List<String> ignoredTables;
  private final List<MigrationMeasurement> measurements = new ArrayList<>();
  private SchemaSnapshot before;
  private TableStats statsBefore;
  private java.util.Set<Long> relationsBefore;
  private boolean transactional;
  private long startedNanos;

  MeasuringCallback(List<String> ignoredTables) {
    this.ignoredTables = List.copyOf(ignoredTables);
  }

  List<MigrationMeasurement> measurements() {
    return List.copyOf(measurements);
  }

  @Override
  public boolean supports(Event event, Context context) {
    return event == Event.BEFORE_EACH_MIGRATE || event == Event.AFTER_EACH_MIGRATE
        || event == Event.AFTER_EACH_MIGRATE_ERROR;
  }

  @Override
  public boolean canHandleInTransaction(Event event, Context context) {
    return true;
  }

  @Override
  public String getCallbackName() {
    return "odoo-gitops-dry-run-measurement";
  }

  @Override
  public void handle(Event event, Context context) {
    Connection c = context.getConnection();
    try {
      switch (event) {
        case BEFORE_EACH_MIGRATE -> {
          transactional = !c.getAutoCommit();
          before = SchemaSnapshot.read(c);
          relationsBefore = HeldLock.relationOids(c);
          statsBefore = transactional ? TableStats.ofOwnTransaction(c) : null;
          startedNanos = System.nanoTime();
        }
        case AFTER_EACH_MIGRATE -> measurements.add(measure(context.getMigrationInfo(), c));
        case AFTER_EACH_MIGRATE_ERROR -> measurements.add(failed(context.getMigrationInfo()));
        default -> {
          // not subscribed
        }
      }
    } catch (SQLException e) {
      throw new org.flywaydb.core.api.FlywayException("dry-run measurement failed: " + e.getMessage(), e);
    }
  }

  private MigrationMeasurement measure(MigrationInfo info, Connection c) throws SQLException {
    long durationMs = (System.nanoTime() - startedNanos) / 1_000_000;
    List<HeldLock> locks = HeldLock.ofOwnBackend(c, ignoredTables, relationsBefore);
    SchemaSnapshot after = SchemaSnapshot.read(c);
    List<SchemaChange> changes = SchemaDiff.between(before, after).stream()
        .filter(ch -> !ignoredTables.contains(ch.table())).toList();
    List<String> rewritten = SchemaDiff.rewritten(before, after).stream()
        .filter(t -> !ignoredTables.contains(t)).toList();
    // ACCESS EXCLUSIVE on an index (a REINDEX) stops every query of its table, as one on the table does
    List<String> exclusive = locks.stream().filter(l -> l.accessExclusive() && l.table() != null)
        .map(HeldLock::table).distinct().toList();
    Set<String> touched = new LinkedHashSet<>();
    locks.stream().map(HeldLock::table).filter(java.util.Objects::nonNull).forEach(touched::add);
    touched.addAll(rewritten);
    changes.stream().map(SchemaChange::table).forEach(touched::add);
    Map<String, Long> rows = new TreeMap<>();
    for (String table : touched) {
      // a table the migration dropped has no rows left to count
      if (after.table(table).isPresent()) {
        rows.put(table, TableStats.rowCount(c, table));
      }
    }
    // inside the migration's transaction its own counters are exact and not yet mixed with anyone's
    Map<String, RowChange> written = statsBefore == null ? Map.of() : TableStats.ofOwnTransaction(c).since(statsBefore)
        .entrySet().stream().filter(e -> !ignoredTables.contains(e.getKey()))
        .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    return new MigrationMeasurement(version(info), info.getDescription(), info.getScript(), info.getPhysicalLocation(),
        transactional, MigrationMeasurement.Status.SUCCESS, durationMs, locks,
        exclusive.isEmpty() || !transactional ? 0 : durationMs, exclusive, rewritten, changes, rows, null, written);
  }

  private MigrationMeasurement failed(MigrationInfo info) {
    long durationMs = (System.nanoTime() - startedNanos) / 1_000_000;
    // the transaction is aborted: the catalog cannot be read any more, and everything is rolled back anyway
    return new MigrationMeasurement(version(info), info.getDescription(), info.getScript(),
        info.getPhysicalLocation(), transactional, MigrationMeasurement.Status.FAILED, durationMs, List.of(), 0,
        List.of(), List.of(), List.of(), Map.of(), "failed");
  }

  private static String version(MigrationInfo info) {
    return info.getVersion() == null ? null : info.getVersion().getVersion();
  }
}
