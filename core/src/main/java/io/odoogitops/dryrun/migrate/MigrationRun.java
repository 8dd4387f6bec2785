package io.odoogitops.dryrun.migrate;

import java.util.List;

/**
 * All migrations Flyway ran on the clone, in order.
 *
 * @param failure Flyway's message for the migration that failed (statement, SQL state, line), else null
 */
public record MigrationRun(List<MigrationMeasurement> migrations, long totalDurationMs, String failure) {

  public MigrationRun {
    migrations = List.copyOf(migrations);
  }

  public boolean failed() {
    return failure != null;
  }
}
