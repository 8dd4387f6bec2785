package io.odoogitops.dryrun.upgrade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import io.odoogitops.ImageDigest;
import io.odoogitops.ReleaseException;
import io.odoogitops.dryrun.DryRun;
import io.odoogitops.dryrun.DryRunRequest;
import io.odoogitops.dryrun.OdooSourceDatabase;
import io.odoogitops.dryrun.clone.CloneName;
import io.odoogitops.dryrun.clone.CloneStrategy;
import io.odoogitops.dryrun.clone.DumpRestore;
import io.odoogitops.dryrun.clone.EmbeddedCloneStrategy;
import io.odoogitops.dryrun.clone.PgEndpoint;
import io.odoogitops.dryrun.clone.StagingServer;
import io.odoogitops.dryrun.clone.TemplateCloneStrategy;
import io.odoogitops.dryrun.migrate.LockHold;
import io.odoogitops.dryrun.migrate.LockModes;
import io.odoogitops.dryrun.migrate.RelationLocks;
import io.odoogitops.dryrun.migrate.RowChange;
import io.odoogitops.dryrun.plan.ImageModule;
import io.odoogitops.dryrun.report.DryRunReport;
import io.odoogitops.dryrun.report.JsonReport;
import io.odoogitops.dryrun.report.ReportFiles;
import io.odoogitops.dryrun.verdict.DryRunPolicy;
import io.odoogitops.dryrun.verdict.Judge;
import io.odoogitops.dryrun.verdict.Reason;
import io.odoogitops.dryrun.verdict.RollbackSafety;
import io.odoogitops.policy.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code odoo -u} as a local process on real clones, driven by {@link FakeOdoo}: what it measures, how it judges,
 * and that nothing is left behind.
 */
class LocalOdooUpgradeIT {

  static final ImageDigest DIGEST = new ImageDigest("sha256:" + "cd".repeat(32));

  static OdooSourceDatabase db;
  static String sourceChecksum;
  static String smallChecksum;

  @TempDir
  Path dir;

  @BeforeAll
  static void source() throws Exception {
    db = OdooSourceDatabase.shared();
    sourceChecksum = db.checksum();
    smallChecksum = db.checksum(OdooSourceDatabase.SMALL_SOURCE);
  }

  private StagingServer staging() {
    return new StagingServer(db.stagingAdmin(), Duration.ofSeconds(30));
  }

  /** account 1.2 -> 1.3 with three announced scripts (the stand-in runs two), sale changed, the rest unchanged. */
  private List<ImageModule> modules() throws Exception {
    Path account = dir.resolve("addons/account");
    for (String script : List.of("migrations/1.3/pre-convert-quantities.py", "migrations/1.3/post-recompute.py",
        "migrations/1.3/end-check.py")) {
      Files.createDirectories(account.resolve(script).getParent());
      Files.writeString(account.resolve(script), "def migrate(cr, version):\n    pass\n");
    }
    return List.of(new ImageModule("base", "17.0.1.3", "b1", null),
        new ImageModule("account", "1.3", "a-new", account),
        new ImageModule("sale", "1.2", "s2", null),
        new ImageModule("stock", "1.1", "st1", null));
  }

  private DryRunRequest.Builder request(PgEndpoint source, CloneStrategy strategy, String runId) throws Exception {
    return DryRunRequest.builder()
        .source(source)
        .strategy(strategy)
        .runId(runId)
        .image("registry.example.com/odoo/shop:1.4.0", DIGEST)
        .odooModules("17.0", modules());
  }

  private LocalOdooUpgrade.Builder odoo(List<String> progress, String... fakeArgs) throws Exception {
    LocalOdooUpgrade.Builder builder = LocalOdooUpgrade.builder().odooBin(FakeOdoo.install(dir))
        .timeout(Duration.ofSeconds(60)).progress(progress::add);
    for (String arg : fakeArgs) {
      builder.arg(arg);
    }
    return builder;
  }

  static Properties report(Path file) throws Exception {
    Properties p = new Properties();
    try (var in = Files.newInputStream(file)) {
      p.load(in);
    }
    return p;
  }

  @Test
  void aLedgerLockingUpgradeIsMeasuredAttributedToItsModuleAndFailsTheGate() throws Exception {
    Path own = dir.resolve("fake.properties");
    List<String> progress = new CopyOnWriteArrayList<>();
    DryRunReport report = new DryRun(request(db.source(), new TemplateCloneStrategy(staging()), "local1")
        .policy(DryRunPolicy.builder().maxAccessExclusive(Duration.ofSeconds(1)).build())
        .upgradePhase(odoo(progress, "--fake-report=" + own, "--fake-hold-extra=1").build())
        .build(), progress::add).run();

    assertThat(db.checksum()).as("the source is untouched").isEqualTo(sourceChecksum);
    assertThat(staging().clones(CloneName.DEFAULT_PREFIX)).as("the clone is dropped").isEmpty();
    assertThat(String.join("\n", progress)).doesNotContain(OdooSourceDatabase.PASSWORD)
        .contains("odoo: ").contains("-u account,sale");

    OdooUpgradeRun upgrade = report.odooUpgrade();
    assertThat(upgrade.outcome()).isEqualTo("SUCCEEDED");
    assertThat(upgrade.exitCode()).isZero();
    Properties fake = report(own);
    assertThat(ProcessHandle.of(Long.parseLong(upgrade.job().replace("local process ", ""))))
        .as("the process is gone").isEmpty();

    UpgradeMeasurement m = upgrade.measurement();
    assertThat(m.error()).isNull();
    assertThat(m.backends()).isPositive();
    RelationLocks aml = m.locks().stream().filter(l -> l.relation().equals("account_move_line")).findFirst()
        .orElseThrow();
    assertThat(aml.strongestMode()).isEqualTo(LockModes.ACCESS_EXCLUSIVE);
    LockHold hold = aml.longest(LockModes.ACCESS_EXCLUSIVE).orElseThrow();
    long ownHoldMs = Long.parseLong(fake.getProperty("holdMs"));
    System.out.println("ACCESS EXCLUSIVE on account_move_line: measured " + hold.duration().toMillis()
        + " ms, the stand-in's own " + ownHoldMs + " ms, " + m.lockSamples() + " samples, sampler queries "
        + m.samplerQueryMs() + " ms, run " + upgrade.durationMs() + " ms");
    assertThat(hold.duration().toMillis()).as("measured against the stand-in's own %d ms", ownHoldMs)
        .isBetween(ownHoldMs - 500, ownHoldMs + 500);
    assertThat(m.rewrittenTables()).containsExactly("account_move_line");
    assertThat(m.rewrittenIndexes()).contains("account_move_line_pkey", "account_move_line_move_id_index");
    assertThat(m.rowChanges()).containsExactlyInAnyOrderEntriesOf(Map.of(
        "account_move_line", new RowChange(0, OdooSourceDatabase.BIG_ROWS, 0),
        "res_partner", new RowChange(10, 0, 0)));
    assertThat(m.tableRows()).containsEntry("account_move_line", (long) OdooSourceDatabase.BIG_ROWS);
    assertThat(m.schemaChanges()).extracting(Object::toString).contains(
        "changed column account_move_line.account_id: integer NOT NULL -> double precision NOT NULL",
        "added column res_partner.note character varying");

    assertThat(m.modules()).extracting(ModuleMeasurement::module).containsExactly("account", "sale");
    ModuleMeasurement account = m.modules().get(0);
    assertThat(account.scripts()).containsExactly("pre 1.3 pre-convert-quantities", "post 1.3 post-recompute");
    assertThat(account.strongestLock().relation()).isEqualTo("account_move_line");
    assertThat(account.strongestLock().mode()).isEqualTo(LockModes.ACCESS_EXCLUSIVE);
    assertThat(account.rewrittenTables()).containsExactly("account_move_line");
    assertThat(account.rowChanges()).containsOnlyKeys("account_move_line");
    ModuleMeasurement sale = m.modules().get(1);
    assertThat(sale.rowChanges()).containsExactly(Map.entry("res_partner", new RowChange(10, 0, 0)));
    assertThat(sale.rewrittenTables()).isEmpty();
    assertThat(sale.strongestLock().relation()).isEqualTo("res_partner");
    assertThat(m.scriptFindings()).containsExactlyInAnyOrder(
        "announced by the plan but not run by odoo -u: account end 1.3 end-check",
        "run by odoo -u but not announced by the plan: sale pre 1.3 pre-surprise");

    assertThat(report.judgement().verdict()).isEqualTo(Verdict.FAIL);
    assertThat(report.judgement().rollbackSafety()).isEqualTo(RollbackSafety.RESTORE_REQUIRED);
    assertThat(report.judgement().rollbackBlockers()).anyMatch(b -> b.contains("account_move_line.account_id")
        && b.contains("double precision"));
    assertThat(report.judgement().reasons()).extracting(Reason::level, Reason::rule, Reason::subject).contains(
        tuple(Verdict.FAIL, "max-access-exclusive", "module account"),
        tuple(Verdict.WARN, "large-table-rewrite", "module account"),
        tuple(Verdict.WARN, "mass-update", "module account"),
        tuple(Verdict.WARN, "odoo-migration-script", "odoo -u"));
    assertThat(report.judgement().reasons()).noneMatch(r -> r.rule().equals(Judge.NOT_RUN_RULE));
    assertThat(report.judgement().reasons()).filteredOn(r -> r.rule().equals("mass-update")).singleElement()
        .extracting(Reason::message).asString()
        .startsWith("stored field recompute or mass update: 1000000 rows of account_move_line");

    ReportFiles files = ReportFiles.write(report, dir.resolve("reports"));
    DryRunReport reread = JsonReport.read(files.json());
    assertThat(reread.odooUpgrade().measurement()).isEqualTo(m);
    assertThat(JsonReport.bytes(reread)).as("deterministic").isEqualTo(Files.readAllBytes(files.json()));
    assertThat(JsonReport.evidence(files.json()).verdict()).isEqualTo(Verdict.FAIL);
    assertThat(Files.readString(files.json())).doesNotContain(OdooSourceDatabase.PASSWORD);
    String md = Files.readString(files.markdown());
    assertThat(md).startsWith("# Dry-run: FAIL")
        .contains("| Module | Duration | Queries | Scripts | Strongest lock (hold) | Rewritten | Rows changed |")
        .containsPattern("\\| account \\| \\d+ ms \\| 3 \\| pre 1\\.3 pre-convert-quantities, post 1\\.3"
            + " post-recompute \\| AccessExclusiveLock on account_move_line \\(\\d+ ms\\) \\| account_move_line \\|"
            + " account_move_line ~1000000 \\|")
        .contains("| sale |", "res_partner +10");
    String junit = Files.readString(files.junit());
    assertThat(junit).contains("classname=\"dryrun.odoo.modules\" name=\"account\"",
        "classname=\"dryrun.odoo.modules\" name=\"sale\"", "<failure type=\"max-access-exclusive\"");
  }

  @Test
  void withTheEmbeddedStrategyAFailingOdooFailsTheRunAndLeavesNothing() throws Exception {
    DumpRestore dumpRestore = new DumpRestore(Optional.empty(), 2, dir.resolve("dumps"));
    EmbeddedCloneStrategy strategy = new EmbeddedCloneStrategy(dir.resolve("clones"), dumpRestore);
    List<String> progress = new CopyOnWriteArrayList<>();
    DryRunReport report = new DryRun(request(db.smallSource(), strategy, "local2")
        .upgradePhase(odoo(progress, "--fake-exit=3").build())
        .build(), progress::add).run();

    assertThat(report.odooUpgrade().outcome()).isEqualTo("FAILED");
    assertThat(report.odooUpgrade().exitCode()).isEqualTo(3);
    assertThat(report.odooUpgrade().measurement().rowChanges()).containsOnlyKeys("account_move_line", "res_partner");
    assertThat(report.judgement().verdict()).isEqualTo(Verdict.FAIL);
    assertThat(report.judgement().reasons()).extracting(Reason::rule, Reason::message)
        .contains(tuple(Judge.UPGRADE_RULE, "FAILED: odoo exited with code 3"));
    assertThat(dir.resolve("clones")).isEmptyDirectory();
    assertThat(db.checksum(OdooSourceDatabase.SMALL_SOURCE)).isEqualTo(smallChecksum);
  }

  @Test
  void aHangingOdooTimesOutAndItsWholeProcessTreeIsKilled() throws Exception {
    Path own = dir.resolve("hang.properties");
    List<String> progress = new CopyOnWriteArrayList<>();
    DryRunReport report = new DryRun(request(db.smallSource(), new TemplateCloneStrategy(staging()), "local3")
        .upgradePhase(odoo(progress, "--fake-hang", "--fake-report=" + own).timeout(Duration.ofSeconds(4)).build())
        .build(), progress::add).run();

    assertThat(report.odooUpgrade().outcome()).isEqualTo("TIMED_OUT");
    assertThat(report.judgement().verdict()).isEqualTo(Verdict.FAIL);
    Properties fake = report(own);
    assertThat(ProcessHandle.of(Long.parseLong(fake.getProperty("pid")))).as("odoo").isEmpty();
    assertThat(ProcessHandle.of(Long.parseLong(fake.getProperty("child")))).as("odoo's child").isEmpty();
    assertThat(staging().clones(CloneName.DEFAULT_PREFIX)).isEmpty();
    assertThat(db.checksum(OdooSourceDatabase.SMALL_SOURCE)).isEqualTo(smallChecksum);
  }

  @Test
  void anInterruptedRunKillsOdooAndItsChildren() throws Exception {
    Path own = dir.resolve("interrupted.properties");
    LocalOdooUpgrade odoo = odoo(new CopyOnWriteArrayList<>(), "--fake-hang", "--fake-report=" + own).build();
    java.util.concurrent.atomic.AtomicReference<Throwable> thrown = new java.util.concurrent.atomic.AtomicReference<>();
    Thread runner = new Thread(() -> {
      try {
        // the stand-in only reads while it hangs: pointing it at the small source changes nothing there
        odoo.run(new OdooUpgradeTarget(null, db.smallSource(), List.of("sale")));
      } catch (Throwable t) {
        thrown.set(t);
      }
    });
    runner.start();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!(Files.exists(own) && Files.readString(own).contains("pid=")) && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    Properties fake = report(own);
    runner.interrupt();
    runner.join(30_000);
    assertThat(runner.isAlive()).isFalse();
    assertThat(thrown.get()).isInstanceOf(ReleaseException.class).hasMessageContaining("interrupted")
        .hasMessageContaining("the process was killed");
    assertThat(ProcessHandle.of(Long.parseLong(fake.getProperty("pid")))).as("odoo").isEmpty();
    assertThat(ProcessHandle.of(Long.parseLong(fake.getProperty("child")))).as("odoo's child").isEmpty();
    assertThat(db.checksum(OdooSourceDatabase.SMALL_SOURCE)).isEqualTo(smallChecksum);
  }

  @Test
  void aRunnerThatNeverConnectsAnOutputThatIsNotOdoosAndAnErrorLineEachFail() throws Exception {
    List<String> progress = new ArrayList<>();
    DryRunReport never = new DryRun(request(db.smallSource(), new TemplateCloneStrategy(staging()), "local4")
        .upgradePhase(odoo(progress, "--fake-no-connect").build()).build(), progress::add).run();
    assertThat(never.judgement().verdict()).isEqualTo(Verdict.FAIL);
    assertThat(never.judgement().reasons()).extracting(Reason::rule).contains("odoo-upgrade-no-connection");
    assertThat(never.odooUpgrade().measurement().backends()).isZero();

    DryRunReport plain = new DryRun(request(db.smallSource(), new TemplateCloneStrategy(staging()), "local5")
        .upgradePhase(odoo(progress, "--fake-plain").build()).build(), progress::add).run();
    assertThat(plain.odooUpgrade().log().odooLines()).isZero();
    assertThat(plain.judgement().verdict()).isEqualTo(Verdict.FAIL);
    assertThat(plain.judgement().reasons()).extracting(Reason::rule).contains("odoo-upgrade-log");
    assertThat(Files.readString(ReportFiles.write(plain, dir.resolve("plain")).markdown()))
        .contains("printed no line in Odoo's log format");

    DryRunReport error = new DryRun(request(db.smallSource(), new TemplateCloneStrategy(staging()), "local6")
        .upgradePhase(odoo(progress, "--fake-error").build()).build(), progress::add).run();
    assertThat(error.odooUpgrade().outcome()).isEqualTo("LOG_ERRORS");
    // the ERROR line joined with the exception its traceback ends in, as the log reader keeps it
    assertThat(error.odooUpgrade().errorLines()).singleElement().asString()
        .contains("ERROR", "Failed to load module sale", " | psycopg2.errors.NotNullViolation");
    assertThat(error.judgement().verdict()).isEqualTo(Verdict.FAIL);

    assertThat(staging().clones(CloneName.DEFAULT_PREFIX)).isEmpty();
    assertThat(db.checksum(OdooSourceDatabase.SMALL_SOURCE)).isEqualTo(smallChecksum);
  }

  @Test
  void modulesToUpgradeWithoutARunnerNeverPassEvenWithoutSqlMigrations() throws Exception {
    List<String> progress = new ArrayList<>();
    DryRunReport warned = new DryRun(request(db.smallSource(), new TemplateCloneStrategy(staging()), "local7")
        .build(), progress::add).run();
    assertThat(warned.migrations()).isEmpty();
    assertThat(progress).contains("no SQL migration location given; no Flyway run");
    assertThat(warned.judgement().verdict()).isEqualTo(Verdict.WARN);
    assertThat(warned.judgement().reasons()).first().extracting(Reason::level, Reason::rule, Reason::message)
        .containsExactly(Verdict.WARN, Judge.NOT_RUN_RULE, "odoo -u was not run: 2 module(s) would be upgraded or"
            + " installed and their schema and data changes were not measured");
    List<String> md = Files.readAllLines(ReportFiles.write(warned, dir.resolve("warned")).markdown());
    assertThat(md.subList(0, 3)).containsExactly("# Dry-run: WARN", "", "> **WARN: odoo -u was not run: 2 module(s)"
        + " would be upgraded or installed and their schema and data changes were not measured**");

    DryRunReport failed = new DryRun(request(db.smallSource(), new TemplateCloneStrategy(staging()), "local8")
        .policy(DryRunPolicy.builder().requireOdooUpgrade(true).build())
        .build(), progress::add).run();
    assertThat(failed.judgement().verdict()).isEqualTo(Verdict.FAIL);
    assertThat(Files.readString(ReportFiles.write(failed, dir.resolve("failed")).junit()))
        .contains("<failure type=\"odoo-upgrade-not-run\"");
  }

  @Test
  void aBadOdooBinIsRefusedBeforeAnythingIsCloned() throws Exception {
    Path notExecutable = Files.writeString(dir.resolve("odoo-bin"), "#!/bin/sh\n");
    Files.setPosixFilePermissions(notExecutable, PosixFilePermissions.fromString("rw-------"));
    assertThatThrownBy(() -> LocalOdooUpgrade.builder().odooBin(dir.resolve("missing")).build())
        .isInstanceOf(ReleaseException.class).hasMessageContaining("does not exist")
        .extracting(e -> ((ReleaseException) e).kind()).isEqualTo(ReleaseException.Kind.BAD_INPUT);
    assertThatThrownBy(() -> LocalOdooUpgrade.builder().odooBin(notExecutable).build())
        .isInstanceOf(ReleaseException.class).hasMessageContaining("is not executable");
    assertThatThrownBy(() -> LocalOdooUpgrade.builder().odooBin(dir).build())
        .isInstanceOf(ReleaseException.class).hasMessageContaining("is not a regular file");
    assertThatThrownBy(() -> LocalOdooUpgrade.builder().odooBin(FakeOdoo.install(dir)).arg("--db_password=x")
        .build()).isInstanceOf(ReleaseException.class).hasMessageContaining("password on the command line");
    assertThat(staging().clones(CloneName.DEFAULT_PREFIX)).isEmpty();
    assertThat(db.checksum(OdooSourceDatabase.SMALL_SOURCE)).isEqualTo(smallChecksum);
  }

  /** Runs the stand-in's account module as an index build of {@code mode} on the 1M-row ledger. */
  private DryRunReport indexBuild(String runId, String mode, DryRunPolicy policy, Path own) throws Exception {
    List<String> progress = new CopyOnWriteArrayList<>();
    DryRunReport report = new DryRun(request(db.source(), new TemplateCloneStrategy(staging()), runId)
        .policy(policy)
        .upgradePhase(odoo(progress, "--fake-report=" + own, "--fake-index=" + mode, "--fake-hold-extra=1.5").build())
        .build(), progress::add).run();
    assertThat(report.odooUpgrade().outcome()).isEqualTo("SUCCEEDED");
    assertThat(report.odooUpgrade().measurement().error()).isNull();
    assertThat(staging().clones(CloneName.DEFAULT_PREFIX)).as("the clone is dropped").isEmpty();
    assertThat(db.checksum()).as("the source is untouched").isEqualTo(sourceChecksum);
    return report;
  }

  private static RelationLocks locksOn(UpgradeMeasurement m, String relation) {
    return m.locks().stream().filter(l -> l.relation().equals(relation)).findFirst().orElseThrow();
  }

  /** The longest hold of {@code mode} on {@code relation}, checked against the stand-in's own measure of it. */
  private static LockHold measuredHold(UpgradeMeasurement m, String relation, String mode, Path own)
      throws Exception {
    LockHold hold = locksOn(m, relation).longest(mode).orElseThrow();
    long ownHoldMs = Long.parseLong(report(own).getProperty("holdMs"));
    System.out.println(mode + " on " + relation + ": measured " + hold.duration().toMillis()
        + " ms, the stand-in's own " + ownHoldMs + " ms");
    assertThat(hold.duration().toMillis()).as("measured against the stand-in's own %d ms", ownHoldMs)
        .isBetween(ownHoldMs - 500, ownHoldMs + 500);
    return hold;
  }

  @Test
  void aNonConcurrentIndexBuildOnTheLedgerBlocksItsWritersAndFailsNamingTheModule() throws Exception {
    Path own = dir.resolve("index.properties");
    DryRunReport report = indexBuild("localidx", "plain",
        DryRunPolicy.builder().maxWriteBlocking(Duration.ofSeconds(1)).build(), own);

    UpgradeMeasurement m = report.odooUpgrade().measurement();
    assertThat(locksOn(m, "account_move_line").strongestMode()).isEqualTo(LockModes.SHARE);
    LockHold hold = measuredHold(m, "account_move_line", LockModes.SHARE, own);
    assertThat(m.tableRows()).containsEntry("account_move_line", (long) OdooSourceDatabase.BIG_ROWS);
    assertThat(m.modules().get(0).holds()).contains(hold);

    assertThat(report.judgement().verdict()).isEqualTo(Verdict.FAIL);
    assertThat(report.judgement().reasons()).filteredOn(r -> r.rule().equals(Judge.WRITE_BLOCKING_RULE))
        .singleElement().satisfies(r -> {
          assertThat(r.level()).isEqualTo(Verdict.FAIL);
          assertThat(r.subject()).isEqualTo("module account");
          assertThat(r.message()).startsWith("held SHARE on account_move_line (1000000 rows) for ")
              .contains("limit 1.0 s", "every INSERT, UPDATE and DELETE of account_move_line");
        });
    assertThat(report.judgement().reasons()).noneMatch(r -> r.rule().equals(Judge.ACCESS_EXCLUSIVE_RULE));
  }

  @Test
  void aNonConcurrentReindexLocksTheLedgerThroughItsIndexAndFails() throws Exception {
    Path own = dir.resolve("reindex.properties");
    DryRunReport report = indexBuild("localreidx", "reindex",
        DryRunPolicy.builder().maxAccessExclusive(Duration.ofSeconds(1)).build(), own);

    UpgradeMeasurement m = report.odooUpgrade().measurement();
    RelationLocks index = locksOn(m, "account_move_line_move_id_index");
    assertThat(index.kind()).isEqualTo("index");
    assertThat(index.table()).as("pg_index.indrelid").isEqualTo("account_move_line");
    LockHold hold = measuredHold(m, "account_move_line_move_id_index", LockModes.ACCESS_EXCLUSIVE, own);
    assertThat(hold.table()).isEqualTo("account_move_line");
    assertThat(locksOn(m, "account_move_line").strongestMode()).isEqualTo(LockModes.SHARE);
    assertThat(m.tableRows()).containsEntry("account_move_line", (long) OdooSourceDatabase.BIG_ROWS);

    assertThat(report.judgement().verdict()).isEqualTo(Verdict.FAIL);
    assertThat(report.judgement().reasons()).filteredOn(r -> r.rule().equals(Judge.ACCESS_EXCLUSIVE_RULE))
        .singleElement().satisfies(r -> {
          assertThat(r.subject()).isEqualTo("module account");
          assertThat(r.message()).startsWith("held ACCESS EXCLUSIVE on index account_move_line_move_id_index of"
              + " account_move_line (1000000 rows) for ");
        });
  }

  @Test
  void aConcurrentIndexBuildBlocksNoWriterAndPassesTheWriteBlockingLimit() throws Exception {
    DryRunReport report = indexBuild("localcidx", "concurrent",
        DryRunPolicy.builder().maxWriteBlocking(Duration.ZERO).maxAccessExclusive(Duration.ZERO).build(),
        dir.resolve("concurrent.properties"));

    UpgradeMeasurement m = report.odooUpgrade().measurement();
    assertThat(locksOn(m, "account_move_line").strongestMode()).isEqualTo("ShareUpdateExclusiveLock");
    assertThat(locksOn(m, "account_move_line").longestHolds()).isEmpty();
    assertThat(report.judgement().reasons()).extracting(Reason::rule)
        .doesNotContain(Judge.WRITE_BLOCKING_RULE, Judge.ACCESS_EXCLUSIVE_RULE);
  }
}
