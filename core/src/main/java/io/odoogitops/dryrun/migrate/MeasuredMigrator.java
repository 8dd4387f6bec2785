package io.odoogitops.dryrun.migrate;

import io.odoogitops.ReleaseException;
import io.odoogitops.dryrun.clone.PgEndpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.database.postgresql.PostgreSQLConfigurationExtension;

/** Runs Flyway on a clone with {@link MeasuringCallback} attached. */
public final class MeasuredMigrator {

  private final MigrationSettings settings;

  public MeasuredMigrator(MigrationSettings settings) {
    this.settings = settings;
    for (String location : settings.locations()) {
      if (location.startsWith("filesystem:") && !Files.isDirectory(Path.of(location.substring(11)))) {
        throw ReleaseException.badInput("migration location " + location + " is not a directory");
      }
    }
  }

  public MigrationRun migrate(PgEndpoint clone) {
    if (settings.locations().isEmpty()) {
      return new MigrationRun(List.of(), 0, null);
    }
    MeasuringCallback callback = new MeasuringCallback(List.of(settings.historyTable()));
    FluentConfiguration configuration = Flyway.configure()
        .dataSource(clone.jdbcUrl(), clone.user(), clone.password())
        .locations(settings.locations().toArray(String[]::new))
        .table(settings.historyTable())
        .baselineOnMigrate(true)
        .baselineVersion(settings.baselineVersion())
        // one transaction per migration, as production runs them: the locks measured are the ones it would hold
        .group(false)
        .mixed(false)
        .initSql("SET statement_timeout = " + settings.statementTimeout().toMillis()
            + "; SET lock_timeout = " + settings.lockTimeout().toMillis())
        .callbacks(callback)
        .cleanDisabled(true);
    // Flyway's default takes its PostgreSQL lock in a transaction, which CREATE INDEX CONCURRENTLY then waits for
    // forever (it waits for every older transaction): use the session-level lock instead
    configuration.getConfigurationExtension(PostgreSQLConfigurationExtension.class).setTransactionalLock(false);
    Flyway flyway = configuration.load();
    long started = System.nanoTime();
    String failure = null;
    try {
      flyway.migrate();
    } catch (FlywayException e) {
      failure = e.getMessage();
    }
    long total = (System.nanoTime() - started) / 1_000_000;
    List<MigrationMeasurement> measured = new ArrayList<>(callback.measurements());
    if (failure != null && !measured.isEmpty()
        && measured.get(measured.size() - 1).status() == MigrationMeasurement.Status.FAILED) {
      MigrationMeasurement last = measured.remove(measured.size() - 1);
      measured.add(new MigrationMeasurement(last.version(), last.description(), last.script(), last.path(),
          last.transactional(), last.status(), last.durationMs(), last.locks(), 0, List.of(), List.of(), List.of(),
          Map.of(), failure, Map.of()));
    }
    return new MigrationRun(measured, total, failure);
  }
}
