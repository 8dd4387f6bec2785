package io.odoogitops.dryrun.verdict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import io.odoogitops.ReleaseException;
import io.odoogitops.dryrun.migrate.HeldLock;
import io.odoogitops.dryrun.migrate.LockHold;
import io.odoogitops.dryrun.migrate.LockModes;
import io.odoogitops.dryrun.migrate.MigrationMeasurement;
import io.odoogitops.dryrun.migrate.MigrationRun;
import io.odoogitops.dryrun.migrate.RelationLocks;
import io.odoogitops.dryrun.upgrade.ModuleMeasurement;
import io.odoogitops.dryrun.upgrade.OdooUpgradeRun;
import io.odoogitops.dryrun.upgrade.UpgradeMeasurement;
import io.odoogitops.odoo.log.ModuleLoad;
import io.odoogitops.odoo.log.OdooUpgradeLog;
import io.odoogitops.policy.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Locks that block the ledger's writers (SHARE and stronger: a non-concurrent CREATE INDEX), locks taken through an
 * index (a REINDEX), and measurements that could not see them: none may pass a gate.
 */
class WriteBlockingVerdictTest {

  static final io.odoogitops.ImageDigest DIGEST = UpgradeVerdictTest.DIGEST;
  static final Instant T = UpgradeVerdictTest.T;
  static final String AML = "account_move_line";
  static final String INDEX = "account_move_line_move_id_index";

  static LockHold hold(String relation, String kind, String mode, long seconds) {
    return new LockHold(relation, kind, mode, T, T.plusSeconds(seconds), kind.equals("table") ? relation : AML);
  }

  /** The module {@code account} held {@code holds} during {@code odoo -u}; the ledger has {@code rows} rows. */
  static UpgradeMeasurement upgrade(long rows, String error, LockHold... holds) {
    List<RelationLocks> locks = java.util.Arrays.stream(holds).map(h -> new RelationLocks(h.relation(), h.kind(),
        h.mode(), List.of(h), h.table())).toList();
    ModuleMeasurement account = new ModuleMeasurement("account", 60_000, 10L, List.of(), holds[0], List.of(holds),
        List.of(), Map.of());
    return new UpgradeMeasurement(locks, List.of(), List.of(), List.of(), Map.of(), Map.of(AML, rows),
        List.of(account), List.of(), 2, 600, 100, 50, error);
  }

  /** Judges a run whose log reports account loaded, so the log itself gives no reason. */
  static Judgement judge(DryRunPolicy policy, UpgradeMeasurement m) {
    OdooUpgradeLog log = new OdooUpgradeLog(List.of(new ModuleLoad("account", T.plusSeconds(900),
        Duration.ofSeconds(900), 10L, List.of())), List.of(), List.of(), 12);
    OdooUpgradeRun run = new OdooUpgradeRun("SUCCEEDED", true, List.of("account"), null, "local process 1", 0,
        List.of(), 900_000, null, log, m);
    return new Judge(policy).judge(DIGEST, UpgradeVerdictTest.NO_SQL, List.of(), List.of(), run, null);
  }

  @Test
  void aLongCreateIndexOnTheLedgerFailsNamingTheModuleAndTheMode() {
    Judgement j = judge(DryRunPolicy.defaults(), upgrade(700_416, null, hold(AML, "table", LockModes.SHARE, 45)));
    assertThat(j.verdict()).isEqualTo(Verdict.FAIL);
    assertThat(j.reasons()).singleElement().satisfies(r -> {
      assertThat(r.rule()).isEqualTo(Judge.WRITE_BLOCKING_RULE);
      assertThat(r.subject()).isEqualTo("module account");
      assertThat(r.message()).startsWith("held SHARE on account_move_line (700416 rows) for 45.0 s (")
          .contains("limit 30.0 s", "every INSERT, UPDATE and DELETE of account_move_line",
              "CREATE INDEX CONCURRENTLY");
    });
  }

  @Test
  void writeBlockingHoldsWithinTheLimitOrOnSmallTablesPass() {
    assertThat(judge(DryRunPolicy.defaults(), upgrade(700_416, null, hold(AML, "table", LockModes.SHARE, 20)))
        .verdict()).as("within 30 s").isEqualTo(Verdict.PASS);
    assertThat(judge(DryRunPolicy.defaults(), upgrade(5_000, null, hold(AML, "table", LockModes.SHARE, 600)))
        .verdict()).as("a small table").isEqualTo(Verdict.PASS);
    assertThat(judge(DryRunPolicy.builder().maxWriteBlocking(Duration.ofSeconds(10)).build(),
        upgrade(700_416, null, hold(AML, "table", LockModes.SHARE, 20))).verdict()).as("a stricter limit")
        .isEqualTo(Verdict.FAIL);
    assertThat(judge(DryRunPolicy.builder().maxWriteBlocking(Duration.ZERO).build(),
        upgrade(700_416, null, hold(AML, "table", "ShareUpdateExclusiveLock", 600))).verdict())
        .as("CREATE INDEX CONCURRENTLY's SHARE UPDATE EXCLUSIVE lets writers through").isEqualTo(Verdict.PASS);
  }

  @Test
  void anAccessExclusiveHoldIsJudgedOnceByItsStricterLimitAndByTheWriteLimitWhenThatIsStricter() {
    Judgement strict = judge(DryRunPolicy.defaults(),
        upgrade(700_416, null, hold(AML, "table", LockModes.ACCESS_EXCLUSIVE, 40)));
    assertThat(strict.reasons()).extracting(Reason::rule).containsExactly(Judge.ACCESS_EXCLUSIVE_RULE);
    Judgement lenient = judge(DryRunPolicy.builder().maxAccessExclusive(Duration.ofMinutes(2)).build(),
        upgrade(700_416, null, hold(AML, "table", LockModes.ACCESS_EXCLUSIVE, 40)));
    assertThat(lenient.reasons()).extracting(Reason::rule, Reason::subject)
        .containsExactly(tuple(Judge.WRITE_BLOCKING_RULE, "module account"));
    assertThat(lenient.reasons().get(0).message()).startsWith("held ACCESS EXCLUSIVE on account_move_line");
  }

  @Test
  void aReindexLocksTheLedgerThroughItsIndexAndIsJudgedAsALockOnTheTable() {
    Judgement j = judge(DryRunPolicy.defaults(), upgrade(700_416, null,
        hold(INDEX, "index", LockModes.ACCESS_EXCLUSIVE, 12), hold(AML, "table", LockModes.SHARE, 12)));
    assertThat(j.verdict()).isEqualTo(Verdict.FAIL);
    assertThat(j.reasons()).singleElement().satisfies(r -> {
      assertThat(r.rule()).isEqualTo(Judge.ACCESS_EXCLUSIVE_RULE);
      assertThat(r.subject()).isEqualTo("module account");
      assertThat(r.message()).startsWith("held ACCESS EXCLUSIVE on index account_move_line_move_id_index of"
          + " account_move_line (700416 rows) for 12.0 s").contains("every read and write of account_move_line");
    });
    LockHold unknownTable = new LockHold(INDEX, "index", LockModes.ACCESS_EXCLUSIVE, T, T.plusSeconds(600));
    assertThat(unknownTable.table()).isNull();
  }

  @Test
  void manyIndexesOfOneTableMakeOneReasonNamingTheLongestHold() {
    Judgement j = judge(DryRunPolicy.defaults(), upgrade(700_416, null,
        hold(AML, "table", LockModes.ACCESS_EXCLUSIVE, 250), hold(INDEX, "index", LockModes.ACCESS_EXCLUSIVE, 280),
        hold("account_move_line_pkey", "index", LockModes.ACCESS_EXCLUSIVE, 260)));
    assertThat(j.reasons()).singleElement().extracting(Reason::message).asString()
        .startsWith("held ACCESS EXCLUSIVE on index account_move_line_move_id_index of account_move_line")
        .contains("280.0 s");
  }

  @Test
  void anIncompleteMeasurementFailsSinceAnUnseenHoldCouldBeAnyLength() {
    Judgement j = judge(DryRunPolicy.defaults(), upgrade(700_416, "lock sampling did not stop in time",
        hold(AML, "table", LockModes.SHARE, 1)));
    assertThat(j.verdict()).isEqualTo(Verdict.FAIL);
    assertThat(j.reasons()).singleElement().satisfies(r -> {
      assertThat(r.level()).isEqualTo(Verdict.FAIL);
      assertThat(r.rule()).isEqualTo(UpgradeRules.MEASUREMENT_RULE);
      assertThat(r.message()).contains("lock sampling did not stop in time", "rerun");
    });
  }

  private static MigrationMeasurement migration(boolean transactional, long ms, HeldLock lock, long rows) {
    List<String> exclusive = lock.accessExclusive() ? List.of(lock.table()) : List.of();
    return new MigrationMeasurement("4", "index lines", "V4__index_lines.sql", null, transactional,
        MigrationMeasurement.Status.SUCCESS, ms, List.of(lock), exclusive.isEmpty() || !transactional ? 0 : ms,
        exclusive, List.of(), List.of(), Map.of(lock.table(), rows), null);
  }

  private static Judgement judgeSql(DryRunPolicy policy, MigrationMeasurement m) {
    return new Judge(policy).judge(DIGEST, new MigrationRun(List.of(m), m.durationMs(), null), List.of(), List.of());
  }

  @Test
  void aSqlMigrationHoldingShareOnALargeTableFailsLikeTheUpgrade() {
    Judgement j = judgeSql(DryRunPolicy.defaults(),
        migration(true, 45_000, new HeldLock(AML, "table", LockModes.SHARE), 700_416));
    assertThat(j.reasons()).singleElement().satisfies(r -> {
      assertThat(r.rule()).isEqualTo(Judge.WRITE_BLOCKING_RULE);
      assertThat(r.subject()).isEqualTo("V4 index lines");
      assertThat(r.message()).startsWith("held SHARE on account_move_line (700416 rows) for up to 45.0 s")
          .contains("limit 30.0 s");
    });
    assertThat(judgeSql(DryRunPolicy.defaults(),
        migration(true, 20_000, new HeldLock(AML, "table", LockModes.SHARE), 700_416)).verdict())
        .isEqualTo(Verdict.PASS);
    assertThat(judgeSql(DryRunPolicy.defaults(),
        migration(true, 45_000, new HeldLock(AML, "table", "ShareUpdateExclusiveLock"), 700_416)).verdict())
        .isEqualTo(Verdict.PASS);
  }

  @Test
  void aSqlReindexIsJudgedOnTheIndexsTable() {
    Judgement j = judgeSql(DryRunPolicy.defaults(),
        migration(true, 9_000, new HeldLock(INDEX, "index", LockModes.ACCESS_EXCLUSIVE, AML), 700_416));
    assertThat(j.reasons()).extracting(Reason::rule).containsExactly(Judge.ACCESS_EXCLUSIVE_RULE);
    Judgement slow = judgeSql(DryRunPolicy.defaults(),
        migration(true, 45_000, new HeldLock(INDEX, "index", LockModes.ACCESS_EXCLUSIVE, AML), 700_416));
    assertThat(slow.reasons()).as("the ACCESS EXCLUSIVE reason covers it").extracting(Reason::rule)
        .containsExactly(Judge.ACCESS_EXCLUSIVE_RULE);
  }

  @Test
  void theWriteBlockingLimitIsADurationAndModesReadAsPostgresNamesThem() {
    assertThat(DryRunPolicy.defaults().maxWriteBlocking()).isEqualTo(Duration.ofSeconds(30));
    assertThatThrownBy(() -> DryRunPolicy.builder().maxWriteBlocking(Duration.ofSeconds(-1)).build())
        .isInstanceOf(ReleaseException.class).hasMessageContaining("must not be negative");
    assertThat(LockModes.sqlName(LockModes.SHARE)).isEqualTo("SHARE");
    assertThat(LockModes.sqlName("ShareRowExclusiveLock")).isEqualTo("SHARE ROW EXCLUSIVE");
    assertThat(LockModes.blocksWriters(LockModes.SHARE)).isTrue();
    assertThat(LockModes.blocksWriters("ShareUpdateExclusiveLock")).isFalse();
  }
}
