package io.odoogitops.dryrun.upgrade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.odoogitops.ReleaseException;
import io.odoogitops.dryrun.OdooSourceDatabase;
import io.odoogitops.dryrun.clone.CloneName;
import io.odoogitops.dryrun.clone.PgSessions;
import io.odoogitops.dryrun.clone.StagingClone;
import io.odoogitops.dryrun.clone.StagingServer;
import io.odoogitops.dryrun.clone.TemplateCloneStrategy;
import io.odoogitops.dryrun.migrate.LockHold;
import io.odoogitops.dryrun.migrate.LockModes;
import io.odoogitops.dryrun.migrate.RelationLocks;
import io.odoogitops.odoo.log.OdooUpgradeLog;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link MeasuredUpgrade} against upgrades that try to hide a long ACCESS EXCLUSIVE hold on a large table: the
 * "upgrade" is plain SQL run by a phase on its own session, as a module's migration script would run it.
 */
class MeasuredUpgradeHostileIT {

  static OdooSourceDatabase db;

  @BeforeAll
  static void source() {
    db = OdooSourceDatabase.shared();
  }

  private static StagingClone clone(String runId) {
    return new TemplateCloneStrategy(new StagingServer(db.stagingAdmin(), Duration.ofSeconds(30)))
        .create(db.smallSource(), new CloneName(CloneName.DEFAULT_PREFIX, runId, Instant.now()));
  }

  /** Runs {@code sql}, one autocommitted statement after the other, on a session of its own, as Odoo would. */
  private static UpgradeMeasurement measure(String runId, String... sql) {
    return run(runId, false, sql).measurement();
  }

  /** With {@code killMonitor}, the run first terminates the session sampling its locks, as a module's code could. */
  private static OdooUpgradeRun run(String runId, boolean killMonitor, String... sql) {
    try (StagingClone clone = clone(runId)) {
      OdooUpgradePhase phase = target -> {
        try (Connection c = PgSessions.readWrite(target.database()); Statement st = c.createStatement()) {
          c.setAutoCommit(true);
          for (int i = 0; killMonitor && i < 200; i++) {
            try (var rs = st.executeQuery("SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))"
                + " FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
                + " AND query LIKE '%FROM pg_locks l%'")) {
              rs.next();
              if (rs.getLong(1) > 0) {
                break;
              }
            }
            Thread.sleep(10);
          }
          for (String s : sql) {
            st.execute(s);
          }
        } catch (java.sql.SQLException | InterruptedException e) {
          throw new IllegalStateException(e);
        }
        return new OdooUpgradeRun("SUCCEEDED", true, target.modules(), null, "test session", 0, List.of(), 0, null,
            new OdooUpgradeLog(List.of(), List.of(), List.of(), 1));
      };
      return new MeasuredUpgrade(Duration.ofMillis(50), line -> { })
          .run(phase, new OdooUpgradeTarget(null, clone.endpoint(), List.of("account")), Map.of());
    }
  }

  private static Duration longestAccessExclusive(UpgradeMeasurement m, String table) {
    return m.locks().stream().filter(r -> r.relation().equals(table)).findFirst()
        .flatMap(r -> r.longest(LockModes.ACCESS_EXCLUSIVE)).map(LockHold::duration).orElse(Duration.ZERO);
  }

  @Test
  void aHoldUnderATemporaryNameCountsForTheTableItIs() {
    // renamed and committed, held under the new name, renamed back: the hold is on the ledger all along
    UpgradeMeasurement m = measure("hide1",
        "ALTER TABLE account_move_line RENAME TO aml_hidden",
        "BEGIN", "LOCK TABLE aml_hidden IN ACCESS EXCLUSIVE MODE", "SELECT pg_sleep(1.5)", "COMMIT",
        "ALTER TABLE aml_hidden RENAME TO account_move_line");

    assertThat(m.locks()).extracting(RelationLocks::relation).doesNotContain("aml_hidden");
    assertThat(longestAccessExclusive(m, "account_move_line")).isGreaterThan(Duration.ofMillis(1_200));
    assertThat(m.tableRows()).containsEntry("account_move_line", (long) OdooSourceDatabase.SMALL_ROWS);
  }

  @Test
  void aTableEmptiedUnderItsLockIsAsLargeAsItWasBefore() {
    UpgradeMeasurement deleted = measure("hide2",
        "BEGIN", "LOCK TABLE account_move_line IN ACCESS EXCLUSIVE MODE", "DELETE FROM account_move_line",
        "SELECT pg_sleep(0.5)", "COMMIT");
    assertThat(deleted.tableRows()).as("the rows production holds while the lock blocks it")
        .containsEntry("account_move_line", (long) OdooSourceDatabase.SMALL_ROWS);

    UpgradeMeasurement truncated = measure("hide3",
        "BEGIN", "LOCK TABLE account_move_line IN ACCESS EXCLUSIVE MODE", "TRUNCATE account_move_line",
        "SELECT pg_sleep(0.5)", "COMMIT");
    assertThat(truncated.tableRows().get("account_move_line")).as("TRUNCATE counts no deleted row")
        .isGreaterThanOrEqualTo((long) OdooSourceDatabase.SMALL_ROWS);
  }

  @Test
  void aRunThatKillsTheLockSamplerGetsNoVerdict() {
    // guard: the sampler's session gone, the long hold after it went unseen; no report may come out of that run
    assertThatThrownBy(() -> run("hide4", true,
        "BEGIN", "LOCK TABLE account_move_line IN ACCESS EXCLUSIVE MODE", "SELECT pg_sleep(1.5)", "COMMIT"))
        .isInstanceOf(ReleaseException.class).hasMessageContaining("lost the measuring session")
        .extracting(e -> ((ReleaseException) e).kind()).isEqualTo(ReleaseException.Kind.INFRASTRUCTURE);
    assertThat(new StagingServer(db.stagingAdmin(), Duration.ofSeconds(30)).clones(CloneName.DEFAULT_PREFIX))
        .as("the clone is dropped").isEmpty();
  }
}
