package io.odoogitops.dryrun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.odoogitops.ImageDigest;
import io.odoogitops.ReleaseException;
import io.odoogitops.dryrun.clone.CloneName;
import io.odoogitops.dryrun.clone.StagingServer;
import io.odoogitops.dryrun.clone.TemplateCloneStrategy;
import io.odoogitops.dryrun.migrate.MigrationMeasurement;
import io.odoogitops.dryrun.migrate.MigrationSettings;
import io.odoogitops.dryrun.plan.ImageModule;
import io.odoogitops.dryrun.plan.ModulePlan;
import io.odoogitops.dryrun.report.DryRunReport;
import io.odoogitops.dryrun.report.JsonReport;
import io.odoogitops.dryrun.report.ReportFiles;
import io.odoogitops.dryrun.verdict.DryRunPolicy;
import io.odoogitops.dryrun.verdict.Reason;
import io.odoogitops.dryrun.verdict.RollbackSafety;
import io.odoogitops.policy.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DryRunIT {

  static final ImageDigest DIGEST = new ImageDigest("sha256:" + "ab".repeat(32));

  static OdooSourceDatabase db;
  static String sourceChecksum;

  @TempDir
  Path dir;

  @BeforeAll
  static void source() throws Exception {
    db = OdooSourceDatabase.shared();
    sourceChecksum = db.checksum();
  }

  private StagingServer staging() {
    return new StagingServer(db.stagingAdmin(), Duration.ofSeconds(30));
  }

  private Path migrations(String... nameThenSql) throws Exception {
    Path migrations = Files.createDirectories(dir.resolve("sql"));
    for (int i = 0; i < nameThenSql.length; i += 2) {
      Files.writeString(migrations.resolve(nameThenSql[i]), nameThenSql[i + 1]);
    }
    return migrations;
  }

  private Path accountModule() throws Exception {
    Path account = dir.resolve("addons/account");
    for (String script : List.of("migrations/1.2/pre-already-ran.py", "migrations/1.3/pre-split-taxes.py",
        "migrations/1.3/post-recompute.py", "migrations/17.0.1.3/end-check.py", "migrations/0.0.0/pre-always.py",
        "migrations/0.0.0/end-invariants.py", "migrations/1.4/pre-future.py", "migrations/1.3/README.txt")) {
      Files.createDirectories(account.resolve(script).getParent());
      Files.writeString(account.resolve(script), "def migrate(cr, version):\n    pass\n");
    }
    return account;
  }

  @Test
  void aTypeChangeOnTheBigTableFailsTheGateAndEverythingIsReported() throws Exception {
    Path sql = migrations(
        "V1__widen_move_id.sql", "SET lock_timeout = '5s';\nSET statement_timeout = '10min';\n"
            + "ALTER TABLE account_move_line ALTER COLUMN move_id TYPE bigint;\n",
        "V2__partner_index.sql",
        "CREATE INDEX CONCURRENTLY account_move_line_partner_id_index ON account_move_line (partner_id);\n",
        "V3__partner_note.sql", "SET lock_timeout = '5s';\nSET statement_timeout = '1min';\n"
            + "ALTER TABLE res_partner ADD COLUMN note varchar;\n");
    List<String> progress = new ArrayList<>();
    DryRunReport report = new DryRun(DryRunRequest.builder()
        .source(db.source())
        .strategy(new TemplateCloneStrategy(staging()))
        .runId("e2e1")
        .image("registry.example.com/odoo/shop:1.4.0", DIGEST)
        .migrations(MigrationSettings.of(List.of("filesystem:" + sql)))
        .policy(DryRunPolicy.builder().maxAccessExclusive(Duration.ofMillis(50)).build())
        .odooModules("17.0", List.of(
            new ImageModule("base", "17.0.1.3", "b1", null),
            new ImageModule("account", "1.3", "a-new", accountModule()),
            new ImageModule("sale", "1.2", "s2", null),
            new ImageModule("stock", "1.1", "st1", null),
            new ImageModule("crm", "1.0", "c1", null)))
        .build(), progress::add).run();

    assertThat(db.checksum()).as("the source is untouched").isEqualTo(sourceChecksum);
    assertThat(staging().clones(CloneName.DEFAULT_PREFIX)).as("the clone is dropped").isEmpty();
    assertThat(progress).anyMatch(line -> line.startsWith("verdict FAIL"));

    assertThat(report.judgement().verdict()).isEqualTo(Verdict.FAIL);
    assertThat(report.judgement().imageDigest()).isEqualTo(DIGEST);
    assertThat(report.judgement().rollbackSafety()).isEqualTo(RollbackSafety.PREVIOUS_IMAGE_COMPATIBLE);
    assertThat(report.judgement().reasons()).extracting(Reason::rule, Reason::subject)
        .contains(org.assertj.core.groups.Tuple.tuple("max-access-exclusive", "V1 widen move id"),
            org.assertj.core.groups.Tuple.tuple("large-table-rewrite", "V1 widen move id"),
            org.assertj.core.groups.Tuple.tuple("odoo-missing-from-image", "module legacy_addon"));
    assertThat(report.migrations()).extracting(MigrationMeasurement::rewrittenTables)
        .containsExactly(List.of("account_move_line"), List.of(), List.of());
    assertThat(report.lint()).extracting(f -> f.rule() + "@" + f.file() + ":" + f.line())
        .containsExactly("change-column-type@V1__widen_move_id.sql:3");

    assertThat(report.neutralization().checks()).isNotEmpty().allMatch(c -> c.passed());
    assertThat(report.upgradePlan().modules()).extracting(ModulePlan::name, ModulePlan::action).containsExactly(
        org.assertj.core.groups.Tuple.tuple("account", ModulePlan.Action.UPGRADE),
        org.assertj.core.groups.Tuple.tuple("base", ModulePlan.Action.UNCHANGED),
        org.assertj.core.groups.Tuple.tuple("crm", ModulePlan.Action.INSTALLABLE),
        org.assertj.core.groups.Tuple.tuple("legacy_addon", ModulePlan.Action.MISSING_FROM_IMAGE),
        org.assertj.core.groups.Tuple.tuple("sale", ModulePlan.Action.UPGRADE),
        org.assertj.core.groups.Tuple.tuple("stock", ModulePlan.Action.UNCHANGED));
    ModulePlan account = report.upgradePlan().modules().get(0);
    assertThat(account.scripts()).extracting(s -> s.stage() + ":" + s.file()).containsExactly(
        "pre:migrations/0.0.0/pre-always.py",
        "pre:migrations/1.3/pre-split-taxes.py",
        "post:migrations/1.3/post-recompute.py",
        "end:migrations/17.0.1.3/end-check.py",
        "end:migrations/0.0.0/end-invariants.py");

    ReportFiles files = ReportFiles.write(report, dir.resolve("reports"));
    assertThat(JsonReport.sha256(Files.readAllBytes(files.json()))).isEqualTo(files.sha256());
    assertThat(Files.readString(dir.resolve("reports/dry-run.json.sha256")))
        .isEqualTo(files.sha256() + "  dry-run.json\n");
    DryRunReport reread = JsonReport.read(files.json());
    assertThat(reread.judgement()).isEqualTo(report.judgement());
    assertThat(JsonReport.bytes(reread)).as("deterministic").isEqualTo(Files.readAllBytes(files.json()));
    String json = Files.readString(files.json());
    assertThat(json).contains("\"schemaVersion\" : 1", "\"imageDigest\" : \"" + DIGEST + "\"",
        "\"verdict\" : \"FAIL\"").doesNotContain(OdooSourceDatabase.PASSWORD);
    String junit = Files.readString(files.junit());
    assertThat(junit).contains("tests=\"4\"", "failures=\"1\"", "name=\"V1__widen_move_id.sql\"",
        "<failure type=\"max-access-exclusive\"");
    assertThat(Files.readString(files.markdown())).startsWith("# Dry-run: FAIL")
        .contains("account_move_line", "AccessExclusiveLock", "pre: `migrations/1.3/pre-split-taxes.py`");
  }

  @Test
  void droppingAColumnPassesTheThresholdsButNeedsARestoreToRollBack() throws Exception {
    Path sql = migrations("V1__drop_partner_active.sql",
        "SET lock_timeout = '5s';\nSET statement_timeout = '1min';\nALTER TABLE res_partner DROP COLUMN active;\n");
    DryRunReport report = new DryRun(DryRunRequest.builder()
        .source(db.source())
        .strategy(new TemplateCloneStrategy(staging()))
        .image(null, DIGEST)
        .migrations(MigrationSettings.of(List.of("filesystem:" + sql)))
        .build(), line -> { }).run();
    assertThat(report.judgement().verdict()).isEqualTo(Verdict.WARN);
    assertThat(report.judgement().rollbackSafety()).isEqualTo(RollbackSafety.RESTORE_REQUIRED);
    assertThat(report.judgement().rollbackBlockers()).singleElement().asString()
        .contains("dropped column res_partner.active");
    assertThat(report.lint()).extracting(f -> f.rule()).containsExactly("drop-column");
    assertThat(db.checksum()).isEqualTo(sourceChecksum);
  }

  @Test
  void aFailedMigrationFailsTheRunAndStillDropsTheClone() throws Exception {
    Path sql = migrations("V1__ok.sql", "ALTER TABLE res_partner ADD COLUMN ref varchar;\n",
        "V2__breaks_halfway.sql", "UPDATE res_partner SET ref = 'x';\nINSERT INTO res_partner (id) VALUES (1);\n");
    DryRunReport report = new DryRun(DryRunRequest.builder()
        .source(db.source())
        .strategy(new TemplateCloneStrategy(staging()))
        .image(null, DIGEST)
        .migrations(MigrationSettings.of(List.of("filesystem:" + sql)))
        .build(), line -> { }).run();
    assertThat(report.judgement().verdict()).isEqualTo(Verdict.FAIL);
    assertThat(report.judgement().reasons()).anySatisfy(r -> {
      assertThat(r.rule()).isEqualTo("migration-failed");
      assertThat(r.message()).contains("duplicate key");
    });
    assertThat(staging().clones(CloneName.DEFAULT_PREFIX)).isEmpty();
    assertThat(db.checksum()).isEqualTo(sourceChecksum);
  }

  @Test
  void aUserScriptThatUndoesNeutralizationStopsTheRunBeforeAnyMigration() throws Exception {
    Path sql = migrations("V1__never.sql", "ALTER TABLE res_partner ADD COLUMN never varchar;\n");
    Path undo = Files.writeString(dir.resolve("undo.sql"), "UPDATE ir_cron SET active = true;\n");
    assertThatThrownBy(() -> new DryRun(DryRunRequest.builder()
        .source(db.source())
        .strategy(new TemplateCloneStrategy(staging()))
        .image(null, DIGEST)
        .neutralizationScript(undo)
        .migrations(MigrationSettings.of(List.of("filesystem:" + sql)))
        .build(), line -> { }).run())
        .isInstanceOf(ReleaseException.class)
        .hasMessageContaining("not neutralized")
        .hasMessageContaining("crons-off: 3 row(s)");
    assertThat(staging().clones(CloneName.DEFAULT_PREFIX)).isEmpty();
  }
}
