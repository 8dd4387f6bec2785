package io.odoogitops.dryrun.verdict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import io.odoogitops.ImageDigest;
import io.odoogitops.ReleaseException;
import io.odoogitops.dryrun.migrate.LockHold;
import io.odoogitops.dryrun.migrate.LockModes;
import io.odoogitops.dryrun.migrate.MigrationRun;
import io.odoogitops.dryrun.migrate.RelationLocks;
import io.odoogitops.dryrun.migrate.RowChange;
import io.odoogitops.dryrun.migrate.SchemaChange;
import io.odoogitops.dryrun.plan.ModulePlan;
import io.odoogitops.dryrun.plan.UpgradePlan;
import io.odoogitops.dryrun.upgrade.ModuleMeasurement;
import io.odoogitops.dryrun.upgrade.OdooUpgradeRun;
import io.odoogitops.dryrun.upgrade.UpgradeMeasurement;
import io.odoogitops.dryrun.upgrade.UpgradeOutcome;
import io.odoogitops.odoo.log.ModuleLoad;
import io.odoogitops.odoo.log.OdooUpgradeLog;
import io.odoogitops.policy.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the measurements of {@code odoo -u} and its absence turn into the verdict. */
class UpgradeVerdictTest {

  static final ImageDigest DIGEST = new ImageDigest("sha256:" + "ef".repeat(32));
  static final MigrationRun NO_SQL = new MigrationRun(List.of(), 0, null);
  static final Instant T = Instant.parse("2026-11-30T01:00:00Z");

  static UpgradePlan plan(int upgraded) {
    List<ModulePlan> modules = new java.util.ArrayList<>();
    for (int i = 0; i < upgraded; i++) {
      modules.add(new ModulePlan("m" + i, ModulePlan.Action.UPGRADE, "17.0.1.0", "17.0.1.1", "changed", List.of()));
    }
    modules.add(new ModulePlan("stock", ModulePlan.Action.UNCHANGED, "17.0.1.0", "17.0.1.0", "same", List.of()));
    return new UpgradePlan("17.0", modules);
  }

  static OdooUpgradeRun measured(UpgradeMeasurement m) {
    OdooUpgradeLog log = new OdooUpgradeLog(List.of(), List.of(), List.of(), 12);
    return new OdooUpgradeRun("SUCCEEDED", true, List.of("account"), null, "local process 1", 0, List.of(), 300_000,
        null, log, m);
  }

  /** account held ACCESS EXCLUSIVE on a 700k-row ledger for 280 s, rewrote it and updated 787,966 rows. */
  static UpgradeMeasurement ledger(long holdSeconds, long updated) {
    LockHold hold = new LockHold("account_move_line", "table", LockModes.ACCESS_EXCLUSIVE, T,
        T.plusSeconds(holdSeconds));
    ModuleMeasurement account = new ModuleMeasurement("account", 300_000, 1_000L, List.of(), hold, List.of(hold),
        List.of("account_move_line"), Map.of("account_move_line", new RowChange(0, updated, 0)));
    return new UpgradeMeasurement(List.of(new RelationLocks("account_move_line", "table", LockModes.ACCESS_EXCLUSIVE,
        List.of(hold))), List.of("account_move_line"), List.of(),
        List.of(new SchemaChange(SchemaChange.Kind.CHANGED, SchemaChange.ObjectType.COLUMN, "account_move_line",
            "quantity", "integer", "double precision")),
        Map.of("account_move_line", new RowChange(0, updated, 0)), Map.of("account_move_line", 700_416L),
        List.of(account), List.of(), 3, 3000, 100, 900, null);
  }

  @Test
  void modulesToUpgradeWithoutARunnerWarnOrFailButNeverPass() {
    Judgement warned = new Judge(DryRunPolicy.defaults()).judge(DIGEST, NO_SQL, List.of(), List.of(), null, plan(2));
    assertThat(warned.verdict()).isEqualTo(Verdict.WARN);
    assertThat(warned.reasons()).singleElement().extracting(Reason::rule, Reason::message).containsExactly(
        Judge.NOT_RUN_RULE, "odoo -u was not run: 2 module(s) would be upgraded or installed and their schema and"
            + " data changes were not measured");
    Judgement failed = new Judge(DryRunPolicy.builder().requireOdooUpgrade(true).build())
        .judge(DIGEST, NO_SQL, List.of(), List.of(), OdooUpgradeRun.skipped(List.of(), null, "no runner"), plan(1));
    assertThat(failed.verdict()).isEqualTo(Verdict.FAIL);
    assertThat(new Judge(DryRunPolicy.defaults()).judge(DIGEST, NO_SQL, List.of(), List.of(), null, plan(0))
        .verdict()).as("nothing to upgrade").isEqualTo(Verdict.PASS);
  }

  @Test
  void modulesToInstallCountAsMuchAsModulesToUpgrade() {
    List<ModulePlan> modules = new java.util.ArrayList<>(plan(1).modules());
    modules.add(new ModulePlan("acme_base", ModulePlan.Action.INSTALL, null, "17.0.1.0", "acme_sale depends on it",
        List.of()));
    modules.add(new ModulePlan("crm", ModulePlan.Action.INSTALLABLE, null, "17.0.1.0", "not installed", List.of()));
    Judgement warned = new Judge(DryRunPolicy.defaults()).judge(DIGEST, NO_SQL, List.of(), List.of(), null,
        new UpgradePlan("17.0", modules));
    assertThat(warned.reasons()).singleElement().extracting(Reason::level, Reason::message).containsExactly(
        Verdict.WARN, "odoo -u was not run: 2 module(s) would be upgraded or installed and their schema and data"
            + " changes were not measured");
    UpgradePlan onlyInstall = new UpgradePlan("17.0", modules.subList(1, modules.size()));
    assertThat(new Judge(DryRunPolicy.builder().requireOdooUpgrade(true).build()).judge(DIGEST, NO_SQL, List.of(),
        List.of(), null, onlyInstall).verdict()).as("an install alone is an upgrade to measure")
        .isEqualTo(Verdict.FAIL);
  }

  @Test
  void aFiveMinuteLedgerLockFailsAndTheRecomputeAndTypeChangeAreNamed() {
    Judgement j = new Judge(DryRunPolicy.defaults()).judge(DIGEST, NO_SQL, List.of(), List.of(),
        measured(ledger(280, 787_966)), plan(1));
    assertThat(j.verdict()).isEqualTo(Verdict.FAIL);
    assertThat(j.rollbackSafety()).isEqualTo(RollbackSafety.RESTORE_REQUIRED);
    assertThat(j.rollbackBlockers()).containsExactly("odoo -u: changed column account_move_line.quantity: integer"
        + " -> double precision");
    assertThat(j.reasons()).extracting(Reason::level, Reason::rule, Reason::subject).contains(
        tuple(Verdict.FAIL, "max-access-exclusive", "module account"),
        tuple(Verdict.WARN, "large-table-rewrite", "module account"),
        tuple(Verdict.WARN, "mass-update", "module account"));
    assertThat(j.reasons()).filteredOn(r -> r.rule().equals("mass-update")).singleElement()
        .extracting(Reason::message).asString()
        .startsWith("stored field recompute or mass update: 787966 rows of account_move_line");
  }

  @Test
  void shortHoldsAndSmallUpdatesPassTheThresholds() {
    Judgement j = new Judge(DryRunPolicy.builder().maxRowsRewritten(0.9).build()).judge(DIGEST, NO_SQL, List.of(),
        List.of(), measured(ledger(4, 600_000)), plan(1));
    assertThat(j.reasons()).extracting(Reason::rule).doesNotContain("max-access-exclusive", "mass-update");
  }

  @Test
  void aRunThatNeverConnectedFails() {
    UpgradeMeasurement nothing = new UpgradeMeasurement(List.of(), List.of(), List.of(), List.of(), Map.of(),
        Map.of(), List.of(), List.of(), 0, 40, 100, 20, null);
    Judgement j = new Judge(DryRunPolicy.defaults()).judge(DIGEST, NO_SQL, List.of(), List.of(),
        measured(nothing), plan(1));
    assertThat(j.verdict()).isEqualTo(Verdict.FAIL);
    assertThat(j.reasons()).extracting(Reason::rule).contains("odoo-upgrade-no-connection");
  }

  @Test
  void aPlannedModuleOdooNeverReportedUpgradingIsNotAPass() {
    // odoo -u account,sale exited 0, but its log says only account was loaded at INFO: sale was not upgraded (not
    // installed on the clone, not on the addons path), so nothing of sale's release was measured
    ModuleLoad account = new ModuleLoad("account", T, Duration.ofSeconds(2), 10L, List.of());
    OdooUpgradeLog log = new OdooUpgradeLog(List.of(account), List.of(), List.of(), 12);
    UpgradeMeasurement quiet = new UpgradeMeasurement(List.of(), List.of(), List.of(), List.of(),
        Map.of("res_partner", new RowChange(1, 0, 0)), Map.of("res_partner", 10L), List.of(), List.of(), 1, 40, 100,
        20, null);
    OdooUpgradeRun run = new OdooUpgradeRun("SUCCEEDED", true, List.of("account", "sale"), null, "local process 1", 0,
        List.of(), 4_000, null, log, quiet);

    Judgement warned = new Judge(DryRunPolicy.defaults()).judge(DIGEST, NO_SQL, List.of(), List.of(), run, plan(2));
    assertThat(warned.verdict()).isEqualTo(Verdict.WARN);
    assertThat(warned.reasons()).extracting(Reason::rule, Reason::subject)
        .contains(tuple("odoo-upgrade-module-not-upgraded", "module sale"));
    assertThat(new Judge(DryRunPolicy.builder().requireOdooUpgrade(true).build())
        .judge(DIGEST, NO_SQL, List.of(), List.of(), run, plan(2)).verdict()).isEqualTo(Verdict.FAIL);
  }

  @Test
  void policyBoundsAreCheckedAndTheRunnersShareOneOutcomeRule() {
    assertThatThrownBy(() -> DryRunPolicy.builder().lockSampleInterval(Duration.ofMillis(500)).build())
        .isInstanceOf(ReleaseException.class).hasMessageContaining("between 1 and 200 ms");
    assertThatThrownBy(() -> DryRunPolicy.builder().maxRowsRewritten(1.5).build())
        .isInstanceOf(ReleaseException.class).hasMessageContaining("(0, 1]");
    assertThat(UpgradeOutcome.judge(UpgradeOutcome.SUCCEEDED, null, 2, List.of()))
        .isEqualTo(new UpgradeOutcome.Ending(UpgradeOutcome.FAILED, "odoo exited with code 2"));
    assertThat(UpgradeOutcome.judge(UpgradeOutcome.SUCCEEDED, null, 0, List.of("x ERROR y")).outcome())
        .isEqualTo(UpgradeOutcome.LOG_ERRORS);
    assertThat(UpgradeOutcome.judge(UpgradeOutcome.TIMED_OUT, "late", null, List.of()))
        .isEqualTo(new UpgradeOutcome.Ending(UpgradeOutcome.TIMED_OUT, "late"));
  }
}
