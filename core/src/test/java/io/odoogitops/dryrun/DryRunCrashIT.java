package io.odoogitops.dryrun;

import static org.assertj.core.api.Assertions.assertThat;

import io.odoogitops.ImageDigest;
import io.odoogitops.dryrun.clone.CloneName;
import io.odoogitops.dryrun.clone.DumpRestore;
import io.odoogitops.dryrun.clone.EmbeddedCloneStrategy;
import io.odoogitops.dryrun.clone.StagingServer;
import io.odoogitops.dryrun.clone.TemplateCloneStrategy;
import io.odoogitops.dryrun.migrate.MigrationSettings;
import io.odoogitops.dryrun.report.DryRunReport;
import io.odoogitops.policy.Verdict;
import io.odoogitops.testing.Prerequisites.Tool;
import io.odoogitops.testing.Requires;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a dry-run's JVM with SIGKILL (no shutdown hook runs) while its migration sleeps, then checks that the next
 * run sweeps what it left: the clone database on the staging server, or the embedded server's postmaster and data.
 */
class DryRunCrashIT {

  static OdooSourceDatabase db;

  @TempDir
  Path dir;

  @BeforeAll
  static void source() {
    db = OdooSourceDatabase.shared();
  }

  private Process startChild(String strategy, String database, Path migrations, Path work) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        CrashingDryRunMain.class.getName(), strategy, String.valueOf(db.port()), database, migrations.toString(),
        work.toString()).redirectErrorStream(true).start();
  }

  /** Reads the child's progress until the migrations start, i.e. the clone exists and is neutralized. */
  private static List<String> awaitMigrations(Process child) throws Exception {
    List<String> lines = new ArrayList<>();
    BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    String line;
    while (System.nanoTime() < deadline && (line = out.readLine()) != null) {
      lines.add(line);
      if (line.startsWith("running migrations")) {
        return lines;
      }
    }
    throw new AssertionError("the child never reached the migrations: " + lines);
  }

  private Path sleepingMigration() throws Exception {
    Path migrations = Files.createDirectories(dir.resolve("sql"));
    Files.writeString(migrations.resolve("V1__sleeps.sql"), "SELECT pg_sleep(300);\n");
    return migrations;
  }

  private Path quickMigration() throws Exception {
    Path migrations = Files.createDirectories(dir.resolve("quick"));
    Files.writeString(migrations.resolve("V1__note.sql"), "ALTER TABLE res_partner ADD COLUMN crash_note varchar;\n");
    return migrations;
  }

  @Test
  void aKilledTemplateRunLeavesACloneThatTheNextRunSweeps() throws Exception {
    String checksum = db.checksum();
    StagingServer staging = new StagingServer(db.stagingAdmin(), Duration.ofSeconds(30));
    Process child = startChild("template", OdooSourceDatabase.SOURCE, sleepingMigration(), dir.resolve("work"));
    try {
      awaitMigrations(child);
    } finally {
      child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    List<String> left = staging.clones(CloneName.DEFAULT_PREFIX);
    assertThat(left).as("SIGKILL skips every shutdown hook").singleElement().asString().contains("_crash_");

    DryRunReport next = new DryRun(DryRunRequest.builder()
        .source(db.source())
        .strategy(new TemplateCloneStrategy(staging))
        .cloneTtl(Duration.ZERO)
        .image(null, new ImageDigest("sha256:" + "ef".repeat(32)))
        .migrations(MigrationSettings.of(List.of("filesystem:" + quickMigration())))
        .build(), line -> { }).run();

    assertThat(next.staging().swept()).containsExactlyElementsOf(left);
    assertThat(next.judgement().verdict()).isNotEqualTo(Verdict.FAIL);
    assertThat(staging.clones(CloneName.DEFAULT_PREFIX)).isEmpty();
    assertThat(db.checksum()).isEqualTo(checksum);
  }

  @Test
  @Requires(Tool.PG_DUMP)
  void aKilledEmbeddedRunLeavesAPostmasterThatTheNextRunStops() throws Exception {
    Path work = dir.resolve("work");
    Process child = startChild("embedded", OdooSourceDatabase.SMALL_SOURCE, sleepingMigration(), work);
    try {
      awaitMigrations(child);
    } finally {
      child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    Path clones = work.resolve("clones");
    Path leftDir;
    try (Stream<Path> dirs = Files.list(clones)) {
      leftDir = dirs.filter(d -> d.getFileName().toString().contains("_crash_")).findFirst().orElseThrow();
    }
    long pid = Long.parseLong(Files.readAllLines(leftDir.resolve("postmaster.pid")).get(0).trim());
    assertThat(ProcessHandle.of(pid)).as("the orphaned postmaster still runs").isPresent()
        .get().matches(ProcessHandle::isAlive);

    EmbeddedCloneStrategy strategy = new EmbeddedCloneStrategy(clones,
        new DumpRestore(Optional.empty(), 1, work.resolve("dumps")));
    assertThat(strategy.sweep(CloneName.DEFAULT_PREFIX, Duration.ZERO, java.time.Clock.systemUTC()))
        .containsExactly(leftDir.getFileName().toString());
    assertThat(leftDir).doesNotExist();
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
  }
}
