package io.odoogitops.dryrun.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import io.odoogitops.ImageDigest;
import io.odoogitops.dryrun.OdooSourceDatabase;
import io.odoogitops.dryrun.clone.CloneName;
import io.odoogitops.dryrun.clone.StagingClone;
import io.odoogitops.dryrun.clone.StagingServer;
import io.odoogitops.dryrun.clone.TemplateCloneStrategy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MeasuredMigratorIT {

  static OdooSourceDatabase db;

  @TempDir
  Path migrations;

  @BeforeAll
  static void source() {
    db = OdooSourceDatabase.shared();
  }

  private StagingClone clone(String runId) {
    return new TemplateCloneStrategy(new StagingServer(db.stagingAdmin(), Duration.ofSeconds(30)))
        .create(db.source(), new CloneName(CloneName.DEFAULT_PREFIX, runId, Instant.now()));
  }

  private void write(String name, String sql) throws Exception {
    Files.writeString(migrations.resolve(name), sql);
  }

  @Test
  void typeChangeShowsARewriteUnderAccessExclusiveAndConcurrentIndexDoesNot() throws Exception {
    write("V1__widen_move_id.sql", "ALTER TABLE account_move_line ALTER COLUMN move_id TYPE bigint;\n");
    write("V2__partner_index.sql",
        "CREATE INDEX CONCURRENTLY account_move_line_partner_id_index ON account_move_line (partner_id);\n");
    write("V3__partner_note.sql", "ALTER TABLE res_partner ADD COLUMN note varchar;\n"
        + "UPDATE res_partner SET note = 'n' WHERE id <= 250;\n"
        + "INSERT INTO res_partner (name) VALUES ('a'), ('b');\nDELETE FROM res_partner WHERE name = 'b';\n");
    MigrationRun run;
    try (StagingClone clone = clone("mig1")) {
      run = new MeasuredMigrator(MigrationSettings.of(List.of("filesystem:" + migrations))).migrate(clone.endpoint());
    }
    assertThat(run.failed()).as(run.failure()).isFalse();
    assertThat(run.migrations()).hasSize(3);

    MigrationMeasurement widen = run.migrations().get(0);
    assertThat(widen.transactional()).isTrue();
    assertThat(widen.rewrittenTables()).containsExactly("account_move_line");
    assertThat(widen.accessExclusiveTables()).containsExactly("account_move_line");
    assertThat(widen.locks()).contains(new HeldLock("account_move_line", "table", HeldLock.ACCESS_EXCLUSIVE));
    assertThat(widen.rowCounts()).containsEntry("account_move_line", (long) OdooSourceDatabase.BIG_ROWS);
    assertThat(widen.largestAccessExclusiveRows()).isEqualTo(OdooSourceDatabase.BIG_ROWS);
    assertThat(widen.accessExclusiveMs()).isEqualTo(widen.durationMs()).isPositive();
    assertThat(widen.schemaChanges()).extracting(SchemaChange::toString)
        .contains("changed column account_move_line.move_id: integer NOT NULL -> bigint NOT NULL");
    assertThat(widen.locks()).noneMatch(l -> l.relation().startsWith("flyway_schema_history"));

    MigrationMeasurement index = run.migrations().get(1);
    assertThat(index.transactional()).isFalse();
    assertThat(index.rewrittenTables()).isEmpty();
    assertThat(index.accessExclusiveTables()).isEmpty();
    assertThat(index.locks()).noneMatch(HeldLock::accessExclusive);
    assertThat(index.schemaChanges()).extracting(SchemaChange::toString).singleElement().asString()
        .startsWith("added index account_move_line.account_move_line_partner_id_index");

    MigrationMeasurement note = run.migrations().get(2);
    assertThat(note.rewrittenTables()).isEmpty();
    assertThat(note.accessExclusiveTables()).containsExactly("res_partner");
    assertThat(note.rowCounts()).containsEntry("res_partner", 1001L);
    assertThat(note.rowChanges()).as("what it wrote, not the table's size, and not Flyway's history row")
        .containsExactly(java.util.Map.entry("res_partner", new RowChange(2, 250, 1)));
  }

  /** The SQL path judges a CREATE INDEX and a REINDEX as odoo -u's path does (LocalOdooUpgradeIT). */
  @Test
  void aNonConcurrentIndexBuildAndAReindexAreJudgedOnTheLedger() throws Exception {
    write("V1__index_account.sql", "CREATE INDEX account_move_line_account_id_index ON account_move_line"
        + " (account_id);\nSELECT pg_sleep(1.2);\n");
    write("V2__reindex_moves.sql", "REINDEX INDEX account_move_line_move_id_index;\nSELECT pg_sleep(1.2);\n");
    MigrationRun run;
    try (StagingClone clone = clone("mig4")) {
      run = new MeasuredMigrator(MigrationSettings.of(List.of("filesystem:" + migrations))).migrate(clone.endpoint());
    }
    assertThat(run.failed()).as(run.failure()).isFalse();
    MigrationMeasurement index = run.migrations().get(0);
    assertThat(index.locks()).contains(new HeldLock("account_move_line", "table", LockModes.SHARE));
    assertThat(index.rowCounts()).containsEntry("account_move_line", (long) OdooSourceDatabase.BIG_ROWS);
    MigrationMeasurement reindex = run.migrations().get(1);
    assertThat(reindex.locks()).contains(new HeldLock("account_move_line_move_id_index", "index",
        LockModes.ACCESS_EXCLUSIVE, "account_move_line"));
    assertThat(reindex.accessExclusiveTables()).as("the index's table, by pg_index.indrelid")
        .containsExactly("account_move_line");

    var judgement = new io.odoogitops.dryrun.verdict.Judge(io.odoogitops.dryrun.verdict.DryRunPolicy.builder()
        .maxWriteBlocking(Duration.ofSeconds(1)).maxAccessExclusive(Duration.ofSeconds(1)).build())
        .judge(new ImageDigest("sha256:" + "ab".repeat(32)), run, List.of(), List.of());
    assertThat(judgement.reasons()).extracting(r -> r.rule() + " " + r.subject()).containsExactly(
        "max-write-blocking V1 index account", "max-access-exclusive V2 reindex moves");
    assertThat(judgement.reasons().get(0).message()).startsWith("held SHARE on account_move_line (1000000 rows)");
  }

  @Test
  void aMigrationFailingHalfwayIsReportedAndRolledBack() throws Exception {
    write("V1__ok.sql", "ALTER TABLE res_partner ADD COLUMN ref varchar;\n");
    write("V2__breaks.sql", "UPDATE res_partner SET ref = 'x';\nSELECT 1 / 0;\n");
    write("V3__never.sql", "ALTER TABLE res_partner ADD COLUMN never varchar;\n");
    MigrationRun run;
    try (StagingClone clone = clone("mig2")) {
      run = new MeasuredMigrator(MigrationSettings.of(List.of("filesystem:" + migrations))).migrate(clone.endpoint());
    }
    assertThat(run.failed()).isTrue();
    assertThat(run.migrations()).extracting(MigrationMeasurement::status)
        .containsExactly(MigrationMeasurement.Status.SUCCESS, MigrationMeasurement.Status.FAILED);
    assertThat(run.migrations().get(1).error()).contains("V2__breaks.sql").contains("division by zero");
  }

  @Test
  void aHangingMigrationEndsAtTheStatementTimeout() throws Exception {
    write("V1__hangs.sql", "SELECT pg_sleep(30);\n");
    MigrationRun run;
    long started = System.nanoTime();
    try (StagingClone clone = clone("mig3")) {
      run = new MeasuredMigrator(MigrationSettings.of(List.of("filesystem:" + migrations))
          .withStatementTimeout(Duration.ofSeconds(1))).migrate(clone.endpoint());
    }
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(25));
    assertThat(run.failed()).isTrue();
    assertThat(run.failure()).contains("statement timeout");
  }
}
