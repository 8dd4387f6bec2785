package io.odoogitops.restore.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.odoogitops.ImageDigest;
import io.odoogitops.ReleaseException;
import io.odoogitops.config.ConfigLoader;
import io.odoogitops.config.EnvironmentSpec;
import io.odoogitops.dryrun.OdooSourceDatabase;
import io.odoogitops.dryrun.clone.PgClientTools;
import io.odoogitops.restore.RestorePlan;
import io.odoogitops.restore.RestorePoint;
import io.odoogitops.restore.RestorePointEvidence;
import io.odoogitops.restore.RestorePointKind;
import io.odoogitops.testing.Prerequisites.Tool;
import io.odoogitops.testing.Requires;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restore points as logical dumps of the embedded PostgreSQL's {@code odoo_small}: the dump is restored into a scratch
 * database and compared table by table, the source's fingerprint is unchanged, and a bad location or a dump that dies
 * leaves nothing under the final name.
 */
class LogicalDumpRestorePointIT {

  static final ImageDigest DIGEST = new ImageDigest("sha256:" + "9f8e7d6c5b4a".repeat(5) + "0123");
  static OdooSourceDatabase db;

  @TempDir
  Path work;

  @BeforeAll
  static void source() {
    db = OdooSourceDatabase.shared();
  }

  static EnvironmentSpec environment(Path location, String timeout, String extra) {
    return ConfigLoader.load(yaml(location, timeout, extra).getBytes(StandardCharsets.UTF_8), "odoo-gitops.yaml")
        .environment("production");
  }

  static String yaml(Path location, String timeout, String extra) {
    String yaml = """
        applications:
          shop: { image: registry.example.com/acme/odoo }
        environments:
          production:
            path: envs/production
            layout: kustomize
            restorePoint: required
            restore:
              dump:
                location: %s
                jobs: 2
                timeout: %s
                database: { url: "jdbc:postgresql://localhost:%d/%s", user: %s, passwordEnv: PROD_PG }
        """.formatted(location, timeout, db.port(), OdooSourceDatabase.SMALL_SOURCE, OdooSourceDatabase.USER)
        + extra;
    return yaml;
  }

  private static RestorePoints.Builder restorePoints() {
    return RestorePoints.builder().environmentVariables(Map.of("PROD_PG", OdooSourceDatabase.PASSWORD));
  }

  @Test
  @Requires(Tool.PG_DUMP)
  void dumpIsCompleteCheckedAndTheSourceUntouched() throws Exception {
    String before = db.checksum(OdooSourceDatabase.SMALL_SOURCE);
    Path stale = work.resolve(".production-shop-aaaaaaaaaaaa-20200101T000000Z.partial");
    Files.createDirectories(stale.resolve("sub"));
    Files.setLastModifiedTime(stale, FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
    Path filestore = Files.createDirectories(work.resolve("filestore/odoo_small/ab"));
    Files.writeString(filestore.resolve("ab12cd"), "attachment bytes");
    Path copies = Files.createDirectories(work.resolve("copies"));
    EnvironmentSpec env = environment(work, "PT5M", """
              filestore:
                copy: { from: %s, to: %s }
        """.formatted(work.resolve("filestore/odoo_small"), copies));

    Instant started = Instant.now();
    RestorePoint point = restorePoints().build().take(env, "shop", DIGEST);

    assertThat(point.kind()).isEqualTo(RestorePointKind.DUMP);
    assertThat(point.id()).matches("production-shop-9f8e7d6c5b4a-\\d{8}T\\d{6}Z");
    assertThat(point.takenAt()).isBetween(started.minusSeconds(1), Instant.now());
    Path dir = work.resolve(point.id());
    assertThat(point.location()).isEqualTo(dir.toString());
    assertThat(dir.resolve("toc.dat")).isRegularFile();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).as("production data is private")
        .isEqualTo("rwx------");
    assertThat(point.dump().tableData()).isGreaterThanOrEqualTo(userTables());
    assertThat(point.dump().tocEntries()).isGreaterThan(point.dump().tableData());
    assertThat(point.dump().source()).doesNotContain(OdooSourceDatabase.PASSWORD);
    assertThat(stale).as("a dead run's leftover is swept").doesNotExist();
    assertThat(names(work)).noneMatch(n -> n.endsWith(".partial"));
    assertThat(point.filestore().kind()).isEqualTo("copy");
    assertThat(Path.of(point.filestore().name()).resolve("ab/ab12cd")).hasContent("attachment bytes");
    assertThat(point.filestore().files()).isEqualTo(1);

    assertThat(db.checksum(OdooSourceDatabase.SMALL_SOURCE)).as("source fingerprint").isEqualTo(before);

    String scratch = "restore_scratch_" + System.nanoTime();
    try (Connection c = db.superuser("postgres"); Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + scratch);
    }
    try {
      PgClientTools tools = PgClientTools.locate(Optional.empty(), 15);
      Process restore = new ProcessBuilder(tools.pgRestore().toString(), "--jobs=2", "--exit-on-error",
          "--no-owner", "--host=localhost", "--port=" + db.port(), "--username=postgres", "--dbname=" + scratch,
          dir.toString()).redirectErrorStream(true).start();
      String output = new String(restore.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(restore.waitFor()).as(output).isZero();
      Map<String, String> original = tableFingerprints(OdooSourceDatabase.SMALL_SOURCE);
      assertThat(original).containsKey("account_move_line").hasSizeGreaterThan(10);
      assertThat(original.get("account_move_line")).startsWith(OdooSourceDatabase.SMALL_ROWS + ":");
      assertThat(tableFingerprints(scratch)).isEqualTo(original);
    } finally {
      try (Connection c = db.superuser("postgres"); Statement st = c.createStatement()) {
        st.execute("DROP DATABASE IF EXISTS " + scratch);
      }
    }

    RestorePoint read = RestorePointEvidence.fromJson(RestorePointEvidence.toJson(point), "evidence.json");
    assertThat(read).isEqualTo(point);

    RestorePlan plan = new RestorePlanner(java.time.Clock.systemUTC(), null).plan(read, env);
    String database = "odoo_small_" + java.time.format.DateTimeFormatter.ofPattern("yyyyMMddHHmmss")
        .withZone(java.time.ZoneOffset.UTC).format(point.takenAt());
    assertThat(plan.target()).isEqualTo(database);
    assertThat(plan.humanText())
        .contains("createdb --host=localhost --port=" + db.port() + " --username=release --template=template0 "
            + database)
        .contains("PGPASSWORD=\"$PROD_PG\" pg_restore --jobs=2 --exit-on-error")
        .contains("--dbname=" + database + " " + dir)
        .contains("rsync -a " + point.filestore().name() + "/ " + work.resolve("filestore/" + database) + "/")
        .doesNotContain(OdooSourceDatabase.PASSWORD);
    assertThat(plan.cluster()).isNull();
  }

  @Test
  void planOfADumpThatIsGoneIsRefused() {
    RestorePoint point = new RestorePoint(1, RestorePointKind.DUMP, "production-shop-9f8e7d6c5b4a-20261130T021500Z",
        Instant.parse("2026-11-30T02:15:00Z"), "production", "shop", DIGEST, work.resolve("gone").toString(), null,
        new RestorePoint.DumpDirectory(work.resolve("gone").toString(), "release@localhost:5432/odoo", "odoo", 2, 15,
            "15.18", 40, 12, 1000), null);

    assertThatThrownBy(() -> new RestorePlanner(java.time.Clock.systemUTC(), null).plan(point,
        environment(work, "PT1M", "")))
        .isInstanceOfSatisfying(ReleaseException.class, e -> {
          assertThat(e.kind()).isEqualTo(ReleaseException.Kind.REFUSED);
          assertThat(e.getMessage()).contains("the dump of the restore point is gone");
        });
  }

  @Test
  @Requires(Tool.PG_DUMP)
  void aFilestoreWithALinkIsRefusedAndNoPointIsRecorded() throws Exception {
    Path filestore = Files.createDirectories(work.resolve("filestore/odoo_small/ab"));
    Files.createSymbolicLink(filestore.resolve("passwd"), Path.of("/etc/passwd"));
    Path copies = Files.createDirectories(work.resolve("copies"));
    Path location = Files.createDirectories(work.resolve("points"));
    EnvironmentSpec env = environment(location, "PT5M", """
              filestore:
                copy: { from: %s, to: %s }
        """.formatted(work.resolve("filestore/odoo_small"), copies));

    assertThatThrownBy(() -> restorePoints().build().take(env, "shop", DIGEST))
        .isInstanceOfSatisfying(ReleaseException.class, e -> {
          assertThat(e.kind()).isEqualTo(ReleaseException.Kind.BAD_INPUT);
          assertThat(e.getMessage()).contains("the filestore holds ab/passwd, which is a symbolic link")
              .contains("the database part exists (the dump " + location);
        });
    assertThat(names(copies)).as("no copy under the final name, no partial").isEmpty();
  }

  @Test
  void aFileInsteadOfADirectoryIsRefusedBeforeAnythingRuns() throws Exception {
    Path file = Files.writeString(work.resolve("not-a-dir"), "x");
    // a bin directory without tools: had the dump started, this would be the error instead
    RestorePoints points = restorePoints().pgBinDir(work.resolve("no-such-bin")).build();

    assertThatThrownBy(() -> points.take(environment(file, "PT5M", ""), "shop", DIGEST))
        .isInstanceOfSatisfying(ReleaseException.class, e -> {
          assertThat(e.kind()).isEqualTo(ReleaseException.Kind.BAD_INPUT);
          assertThat(e.getMessage()).contains("the dump location " + file + " is a file, not a directory");
        });
    assertThatThrownBy(() -> points.take(environment(work.resolve("missing"), "PT5M", ""), "shop", DIGEST))
        .hasMessageContaining("does not exist; create it");
  }

  @Test
  void anUnwritableLocationIsRefusedBeforeAnythingRuns() throws Exception {
    Path location;
    if ("root".equals(System.getProperty("user.name"))) {
      location = Path.of("/sys"); // root writes anywhere a mode allows; sysfs refuses new directories to anyone
    } else {
      location = Files.createDirectories(work.resolve("read-only"));
      Files.setPosixFilePermissions(location, PosixFilePermissions.fromString("r-xr-xr-x"));
    }
    RestorePoints points = restorePoints().pgBinDir(work.resolve("no-such-bin")).build();

    assertThatThrownBy(() -> points.take(environment(location, "PT5M", ""), "shop", DIGEST))
        .isInstanceOfSatisfying(ReleaseException.class, e -> {
          assertThat(e.kind()).isEqualTo(ReleaseException.Kind.BAD_INPUT);
          assertThat(e.getMessage()).contains(location.toString()).containsAnyOf("not writable", "cannot create");
        });
  }

  @Test
  void aDumpKilledAtItsTimeoutLeavesNothingAndNoProcess() throws Exception {
    Path bin = standIn("""
        echo $$ > "%s"
        mkdir -p "$file"; echo partial > "$file/toc.dat"; echo partial > "$file/3001.dat.gz"
        sleep 60
        """.formatted(work.resolve("pid")));
    Path location = Files.createDirectories(work.resolve("points"));

    assertThatThrownBy(() -> restorePoints().pgBinDir(bin).build()
        .take(environment(location, "PT2S", ""), "shop", DIGEST))
        .isInstanceOfSatisfying(ReleaseException.class, e -> {
          assertThat(e.kind()).isEqualTo(ReleaseException.Kind.INFRASTRUCTURE);
          assertThat(e.getMessage()).contains("did not finish within PT2S and was stopped");
        });
    assertThat(names(location)).as("nothing under the final name, no partial left").isEmpty();
    long pid = Long.parseLong(Files.readString(work.resolve("pid")).strip());
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("the dump is stopped").isFalse();
  }

  @Test
  void aDumpFailingOnAFullDiskLeavesNothingAndSaysSo() throws Exception {
    Path bin = standIn("""
        mkdir -p "$file"; echo partial > "$file/toc.dat"
        echo "pg_dump: error: could not write to file \\"$file/3001.dat.gz\\": No space left on device" >&2
        exit 1
        """);
    Path location = Files.createDirectories(work.resolve("points"));

    assertThatThrownBy(() -> restorePoints().pgBinDir(bin).build()
        .take(environment(location, "PT1M", ""), "shop", DIGEST))
        .isInstanceOfSatisfying(ReleaseException.class, e -> {
          assertThat(e.kind()).isEqualTo(ReleaseException.Kind.INFRASTRUCTURE);
          assertThat(e.getMessage()).contains("pg_dump exited with 1").contains("No space left on device")
              .contains("the disk is full").doesNotContain(OdooSourceDatabase.PASSWORD);
        });
    assertThat(names(location)).isEmpty();
  }

  @Test
  void anUnsetPasswordVariableIsRefusedNamingTheVariable() {
    assertThatThrownBy(() -> RestorePoints.builder().environmentVariables(Map.of()).build()
        .take(environment(work, "PT1M", ""), "shop", DIGEST))
        .isInstanceOfSatisfying(ReleaseException.class, e -> {
          assertThat(e.kind()).isEqualTo(ReleaseException.Kind.BAD_INPUT);
          assertThat(e.getMessage()).contains("PROD_PG").contains("is not set");
        });
  }

  /**
   * A pg_dump stand-in: answers --version like pg_dump 17, then runs {@code body} with {@code $file} set to the
   * --file argument. For the runs that end badly, which a real pg_dump on a healthy machine does not.
   */
  private Path standIn(String body) throws Exception {
    Path bin = Files.createDirectories(work.resolve("bin"));
    String script = """
        #!/bin/sh
        if [ "$1" = "--version" ]; then echo "pg_dump (PostgreSQL) 17.2"; exit 0; fi
        for a in "$@"; do case "$a" in --file=*) file="${a#--file=}";; esac; done
        """ + body;
    Files.writeString(bin.resolve("pg_dump"), script);
    Files.writeString(bin.resolve("pg_restore"), "#!/bin/sh\nexit 0\n");
    for (String tool : List.of("pg_dump", "pg_restore")) {
      Files.setPosixFilePermissions(bin.resolve(tool), PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    return bin;
  }

  private static List<String> names(Path dir) throws Exception {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.map(p -> p.getFileName().toString()).toList();
    }
  }

  private static int userTables() throws Exception {
    return tableFingerprints(OdooSourceDatabase.SMALL_SOURCE).size();
  }

  /** Per table of the public schema: row count and md5 of its rows in a fixed order. */
  private static Map<String, String> tableFingerprints(String database) throws Exception {
    Map<String, String> result = new LinkedHashMap<>();
    try (Connection c = db.superuser(database); Statement st = c.createStatement()) {
      for (String table : OdooSourceDatabase.tables(st)) {
        try (ResultSet rs = st.executeQuery("SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n'"
            + " ORDER BY t::text), '')) FROM " + table + " t")) {
          rs.next();
          result.put(table, rs.getLong(1) + ":" + rs.getString(2));
        }
      }
    }
    return result;
  }

  @Test
  @Requires(Tool.PG_DUMP)
  void theGateTakesThisDumpOnlyWhenTakenAfterTheDryRun() throws Exception {
    Instant dryRunFinished = Instant.now().minusSeconds(60);
    RestorePoint point = restorePoints().build().take(environment(work, "PT5M", ""), "shop", DIGEST);
    GateDecisions gate = new GateDecisions(yaml(work, "PT5M", ""));
    Instant at = Instant.now();

    assertThat(GateDecisions.restorePointRule(gate.decide(DIGEST, dryRunFinished, null, at)).outcome())
        .isEqualTo(io.odoogitops.policy.Outcome.FAILED);
    io.odoogitops.policy.Decision fresh = gate.decide(DIGEST, dryRunFinished, point, at);
    assertThat(fresh.allowed()).as(fresh.rules().toString()).isTrue();
    assertThat(fresh.trailers()).extracting(io.odoogitops.policy.Trailer::toString).contains(point.trailer());

    io.odoogitops.policy.Decision stale = gate.decide(DIGEST, point.takenAt().plusSeconds(5), point, at);
    assertThat(stale.allowed()).isFalse();
    assertThat(GateDecisions.restorePointRule(stale).reason()).contains("take a fresh one");
    assertThat(gate.decide(new ImageDigest("sha256:" + "0f".repeat(32)), dryRunFinished, point, at).allowed()).isFalse();
  }
}
