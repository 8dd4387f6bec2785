package io.odoogitops.dryrun.migrate;

import java.util.List;
import java.util.Map;

/**
 * What one migration did on the clone.
 *
 * @param script file name as Flyway resolved it
 * @param path file on disk when the location is a filesystem one, else null
 * @param transactional whether it ran inside a transaction; locks are only observable at its end when it did
 *     (Flyway runs {@code CREATE INDEX CONCURRENTLY} and friends outside one)
 * @param durationMs wall time of the migration's statements, without the measurement itself
 * @param locks strongest lock per relation held at the end of its transaction
 * @param accessExclusiveMs upper bound of the time it held ACCESS EXCLUSIVE on {@code accessExclusiveTables}: a
 *     lock is kept until commit, and the statement that took it may have started at any point of the migration;
 *     a lock on an index (a REINDEX) names the index's table
 * @param rewrittenTables tables whose data file was replaced
 * @param rowCounts rows, after the migration, in every table it locked, rewrote or changed: the tables' sizes
 * @param error Flyway's message when it failed, else null
 * @param rowChanges rows it inserted, updated and deleted per table, from its transaction's statistics counters;
 *     empty for a migration outside a transaction, whose counters cannot be told apart from other sessions' (added
 *     within schema version 1)
 */
public record MigrationMeasurement(String version, String description, String script, String path,
    boolean transactional, Status status, long durationMs, List<HeldLock> locks, long accessExclusiveMs,
    List<String> accessExclusiveTables, List<String> rewrittenTables, List<SchemaChange> schemaChanges,
    Map<String, Long> rowCounts, String error, Map<String, RowChange> rowChanges) {

  public enum Status { SUCCESS, FAILED }

  public MigrationMeasurement {
    locks = List.copyOf(locks);
    accessExclusiveTables = List.copyOf(accessExclusiveTables);
    rewrittenTables = List.copyOf(rewrittenTables);
    schemaChanges = List.copyOf(schemaChanges);
    rowCounts = Map.copyOf(rowCounts);
    rowChanges = rowChanges == null ? Map.of() : Map.copyOf(rowChanges);
  }

  /** Without row changes: a failed migration (rolled back) or one measured before they were counted. */
  public MigrationMeasurement(String version, String description, String script, String path,
      boolean transactional, Status status, long durationMs, List<HeldLock> locks, long accessExclusiveMs,
      List<String> accessExclusiveTables, List<String> rewrittenTables, List<SchemaChange> schemaChanges,
      Map<String, Long> rowCounts, String error) {
    this(version, description, script, path, transactional, status, durationMs, locks, accessExclusiveMs,
        accessExclusiveTables, rewrittenTables, schemaChanges, rowCounts, error, Map.of());
  }

  /** The largest table it held ACCESS EXCLUSIVE on, by rows; 0 if none. */
  public long largestAccessExclusiveRows() {
    return accessExclusiveTables.stream().mapToLong(t -> rowCounts.getOrDefault(t, 0L)).max().orElse(0);
  }

  /** {@code V3 add index} for versioned migrations, the script name otherwise; reasons refer to it. */
  public String label() {
    return version == null ? script : "V" + version + " " + description;
  }
}
