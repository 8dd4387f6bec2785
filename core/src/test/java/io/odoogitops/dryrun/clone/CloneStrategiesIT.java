package io.odoogitops.dryrun.clone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.odoogitops.ReleaseException;
import io.odoogitops.dryrun.OdooSourceDatabase;
import io.odoogitops.testing.Prerequisites.Tool;
import io.odoogitops.testing.Requires;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CloneStrategiesIT {

  static OdooSourceDatabase db;
  static String sourceChecksum;
  static String smallChecksum;

  @TempDir
  Path work;

  @BeforeAll
  static void source() throws Exception {
    db = OdooSourceDatabase.shared();
    sourceChecksum = db.checksum();
    smallChecksum = db.checksum(OdooSourceDatabase.SMALL_SOURCE);
  }

  private StagingServer staging() {
    return new StagingServer(db.stagingAdmin(), Duration.ofSeconds(5));
  }

  private static CloneName freshName(String runId) {
    return new CloneName(CloneName.DEFAULT_PREFIX, runId, Instant.now());
  }

  private static long lines(PgEndpoint clone) throws Exception {
    try (Connection c = PgSessions.readWrite(clone); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT count(*) FROM account_move_line")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void templateCloneIsACompleteCopyAndIsDroppedOnClose() throws Exception {
    CloneName name = freshName("tpl1");
    try (StagingClone clone = new TemplateCloneStrategy(staging()).create(db.source(), name)) {
      assertThat(clone.endpoint().database()).isEqualTo(name.toString()).startsWith("odoo_gitops_dryrun_tpl1_");
      assertThat(lines(clone.endpoint())).isEqualTo(OdooSourceDatabase.BIG_ROWS);
      assertThat(staging().clones(CloneName.DEFAULT_PREFIX)).contains(name.toString());
    }
    assertThat(staging().clones(CloneName.DEFAULT_PREFIX)).doesNotContain(name.toString());
    assertThat(db.checksum()).isEqualTo(sourceChecksum);
  }

  @Test
  void templateCloneRefusesATemplateInUse() throws Exception {
    try (Connection busy = PgSessions.readOnly(db.source())) {
      assertThatThrownBy(() -> new TemplateCloneStrategy(staging()).create(db.source(), freshName("busy")))
          .isInstanceOf(ReleaseException.class)
          .hasMessageContaining("is in use by ").hasMessageContaining(" other session(s): pid ")
          .hasMessageContaining("application 'odoo-gitops dry-run'")
          .extracting(e -> ((ReleaseException) e).kind()).isEqualTo(ReleaseException.Kind.INFRASTRUCTURE);
    }
    assertThat(staging().clones(CloneName.DEFAULT_PREFIX)).noneMatch(n -> n.contains("_busy_"));
  }

  @Test
  @Requires(Tool.PG_DUMP)
  void dumpCloneRestoresInParallelWithTheSameContent() throws Exception {
    DumpRestore dumpRestore = new DumpRestore(Optional.empty(), 2, work);
    CloneName name = freshName("dump1");
    try (StagingClone clone = new DumpCloneStrategy(staging(), dumpRestore).create(db.smallSource(), name)) {
      assertThat(lines(clone.endpoint())).isEqualTo(OdooSourceDatabase.SMALL_ROWS);
      try (Connection c = PgSessions.readWrite(clone.endpoint()); Statement st = c.createStatement();
           ResultSet rs = st.executeQuery("SELECT value FROM ir_config_parameter WHERE key = 'web.base.url'")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getString(1)).isEqualTo("https://erp.example.com");
      }
    }
    assertThat(staging().clones(CloneName.DEFAULT_PREFIX)).doesNotContain(name.toString());
    try (var files = Files.list(work)) {
      assertThat(files).as("dump directory removed").isEmpty();
    }
    assertThat(db.checksum(OdooSourceDatabase.SMALL_SOURCE)).isEqualTo(smallChecksum);
  }

  @Test
  void dumpWithAWrongPasswordIsBadInputAndLeavesNothing() {
    PgEndpoint wrong = new PgEndpoint("localhost", db.port(), OdooSourceDatabase.SOURCE, OdooSourceDatabase.USER,
        "not-the-password");
    DumpRestore dumpRestore = new DumpRestore(Optional.empty(), 2, work);
    assertThatThrownBy(() -> new DumpCloneStrategy(staging(), dumpRestore).create(wrong, freshName("badpw")))
        .isInstanceOf(ReleaseException.class)
        .hasMessageContaining("authentication failed")
        .hasMessageNotContaining("not-the-password");
    assertThat(staging().clones(CloneName.DEFAULT_PREFIX)).noneMatch(n -> n.contains("_badpw_"));
  }

  @Test
  void sessionsOnTheSourceAreRefusedWritesByTheServerItself() throws Exception {
    try (Connection c = PgSessions.readOnly(db.source()); Statement st = c.createStatement()) {
      // even after the driver's read-only flag is lifted, the session default set at connect time still holds
      c.setReadOnly(false);
      assertThatThrownBy(() -> st.executeUpdate("UPDATE ir_cron SET active = false"))
          .isInstanceOf(java.sql.SQLException.class)
          .hasMessageContaining("read-only transaction");
    }
    assertThat(db.checksum()).isEqualTo(sourceChecksum);
  }

  @Test
  void unreachableSourceIsAnInfrastructureError() {
    PgEndpoint nowhere = new PgEndpoint("127.0.0.1", 1, "odoo", "odoo", "x");
    DumpRestore dumpRestore = new DumpRestore(Optional.empty(), 1, work);
    assertThatThrownBy(() -> dumpRestore.toolsFor(nowhere))
        .isInstanceOf(ReleaseException.class)
        .hasMessageContaining("cannot reach PostgreSQL at 127.0.0.1:1")
        .extracting(e -> ((ReleaseException) e).kind()).isEqualTo(ReleaseException.Kind.INFRASTRUCTURE);
  }

  /** A pg_restore that fails like one on a full disk: the error says so, and the half-restored clone is gone. */
  @Test
  void aFullDiskDuringRestoreEndsWithAClearErrorAndNoClone() throws Exception {
    Path bin = Files.createDirectories(work.resolve("fake-bin"));
    Path dump = Files.writeString(bin.resolve("pg_dump"), "#!/bin/sh\n"
        + "case \"$1\" in --version) echo 'pg_dump (PostgreSQL) 15.99'; exit 0;; esac\n"
        + "for a in \"$@\"; do case \"$a\" in --file=*) mkdir -p \"${a#--file=}\";; esac; done\n");
    Path restore = Files.writeString(bin.resolve("pg_restore"), "#!/bin/sh\n"
        + "echo 'pg_restore: error: could not extend file \"base/16384/16390\": No space left on device' >&2\n"
        + "exit 1\n");
    for (Path tool : List.of(dump, restore)) {
      Files.setPosixFilePermissions(tool, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    DumpRestore dumpRestore = new DumpRestore(Optional.of(bin), 1, work.resolve("dumps"));
    assertThatThrownBy(() -> new DumpCloneStrategy(staging(), dumpRestore).create(db.smallSource(),
        freshName("full")))
        .isInstanceOf(ReleaseException.class)
        .hasMessageContaining("No space left on device")
        .hasMessageContaining("the disk is full");
    assertThat(staging().clones(CloneName.DEFAULT_PREFIX)).noneMatch(n -> n.contains("_full_"));
    assertThat(work.resolve("dumps")).isEmptyDirectory();
  }

  @Test
  @Requires(Tool.PG_DUMP)
  void clientToolsOlderThanTheSourceAreRefusedWithTheRemedy() {
    assertThatThrownBy(() -> PgClientTools.locate(Optional.empty(), 99))
        .isInstanceOf(ReleaseException.class)
        .hasMessageContaining("source server is PostgreSQL 99")
        .hasMessageContaining("postgresql-client-99");
  }

  @Test
  @Requires(Tool.PG_DUMP)
  void embeddedCloneRunsItsOwnServerAndRemovesItsDataDirectory() throws Exception {
    DumpRestore dumpRestore = new DumpRestore(Optional.empty(), 2, work.resolve("dumps"));
    EmbeddedCloneStrategy strategy = new EmbeddedCloneStrategy(work.resolve("clones"), dumpRestore);
    CloneName name = freshName("emb1");
    try (StagingClone clone = strategy.create(db.smallSource(), name)) {
      assertThat(clone.endpoint().port()).isNotEqualTo(db.port());
      assertThat(lines(clone.endpoint())).isEqualTo(OdooSourceDatabase.SMALL_ROWS);
      assertThat(work.resolve("clones").resolve(name.toString())).isDirectory();
    }
    assertThat(work.resolve("clones").resolve(name.toString())).doesNotExist();
    assertThat(db.checksum(OdooSourceDatabase.SMALL_SOURCE)).isEqualTo(smallChecksum);
  }

  @Test
  void sweepDropsOnlyStaleClonesOfItsPrefix() throws Exception {
    Instant now = Instant.parse("2026-11-23T12:00:00Z");
    CloneName stale = new CloneName(CloneName.DEFAULT_PREFIX, "old", now.minus(Duration.ofHours(7)));
    CloneName young = new CloneName(CloneName.DEFAULT_PREFIX, "young", now.minus(Duration.ofMinutes(5)));
    StagingServer staging = staging();
    staging.createEmptyDatabase(stale.toString());
    staging.createEmptyDatabase(young.toString());
    staging.createEmptyDatabase("odoo_gitops_dryrun_not_a_clone");
    try {
      Clock clock = Clock.fixed(now, ZoneOffset.UTC);
      assertThat(staging.sweep(CloneName.DEFAULT_PREFIX, Duration.ofHours(6), clock))
          .containsExactly(stale.toString());
      assertThat(staging.clones(CloneName.DEFAULT_PREFIX)).contains(young.toString())
          .doesNotContain(stale.toString());
    } finally {
      staging.dropDatabase(young.toString());
      staging.dropDatabase("odoo_gitops_dryrun_not_a_clone");
    }
  }

  @Test
  void theStagingLockSerializesRuns() {
    StagingServer staging = new StagingServer(db.stagingAdmin(), Duration.ofMillis(300));
    try (StagingServer.LockedSession first = staging.lock("template:odoo_prod")) {
      assertThatThrownBy(() -> staging.lock("template:odoo_prod"))
          .isInstanceOf(ReleaseException.class)
          .hasMessageContaining("another dry-run holds the staging lock");
      try (StagingServer.LockedSession other = staging.lock("template:other")) {
        assertThat(other.lock().target()).isEqualTo("template:other");
      }
    }
    try (StagingServer.LockedSession again = staging.lock("template:odoo_prod")) {
      assertThat(again.lock().target()).isEqualTo("template:odoo_prod");
    }
  }
}
