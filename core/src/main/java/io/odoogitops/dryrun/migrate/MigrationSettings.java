package io.odoogitops.dryrun.migrate;

import io.odoogitops.ReleaseException;
import java.time.Duration;
import java.util.List;

/**
 * How Flyway runs on the clone.
 *
 * @param locations Flyway locations, e.g. {@code filesystem:/addons/sale_ext/db/migration}; none: Flyway does not
 *     run (most Odoo releases have no SQL migrations)
 * @param historyTable Flyway's schema history table; the production one, so only pending migrations run
 * @param baselineVersion applied to a database without history (any Odoo database is non-empty)
 * @param statementTimeout a migration that hangs fails after this instead of blocking the run
 * @param lockTimeout a migration waiting this long for a lock fails; on a clone nobody else holds locks, so only a
 *     broken migration (waiting on itself through a second connection) hits it
 */
public record MigrationSettings(List<String> locations, String historyTable, String baselineVersion,
    Duration statementTimeout, Duration lockTimeout) {

  public MigrationSettings {
    locations = List.copyOf(locations);
    if (statementTimeout.isNegative() || statementTimeout.isZero() || lockTimeout.isNegative()
        || lockTimeout.isZero()) {
      throw ReleaseException.badInput("statement and lock timeouts must be positive");
    }
  }

  /** No SQL migrations: the dry-run measures the Odoo upgrade alone. */
  public static MigrationSettings none() {
    return of(List.of());
  }

  public static MigrationSettings of(List<String> locations) {
    return new MigrationSettings(locations, "flyway_schema_history", "0", Duration.ofMinutes(30),
        Duration.ofMinutes(1));
  }

  public MigrationSettings withStatementTimeout(Duration timeout) {
    return new MigrationSettings(locations, historyTable, baselineVersion, timeout, lockTimeout);
  }
}
