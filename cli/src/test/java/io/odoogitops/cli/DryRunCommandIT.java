package io.odoogitops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.odoogitops.testing.Prerequisites.Tool;
import io.odoogitops.testing.Requires;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIf;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import picocli.CommandLine;

/** {@code odoo-gitops dry-run} end to end with the default embedded strategy against an embedded source. */
class DryRunCommandIT {

  static final String DIGEST = "sha256:" + "12".repeat(32);

  static EmbeddedPostgres source;

  @TempDir
  Path dir;

  @BeforeAll
  static void startSource() throws Exception {
    source = EmbeddedPostgres.builder().start();
    try (Connection c = source.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE odoo");
    }
    try (Connection c = source.getDatabase("postgres", "odoo").getConnection(); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE ir_module_module (id serial PRIMARY KEY, name varchar UNIQUE, state varchar,"
          + " latest_version varchar)");
      st.execute("INSERT INTO ir_module_module (name, state, latest_version) VALUES ('base', 'installed', '17.0.1.3'),"
          + " ('shop_ext', 'installed', '17.0.1.0')");
      st.execute("CREATE TABLE ir_config_parameter (id serial PRIMARY KEY, key varchar NOT NULL UNIQUE,"
          + " value text NOT NULL)");
      st.execute("CREATE TABLE ir_cron (id serial PRIMARY KEY, cron_name varchar, active boolean)");
      st.execute("INSERT INTO ir_cron (cron_name, active) VALUES ('Invoicing', true)");
      st.execute("CREATE TABLE res_partner (id serial PRIMARY KEY, name varchar)");
      st.execute("INSERT INTO res_partner (name) SELECT 'p' || g FROM generate_series(1, 500) g");
    }
  }

  @AfterAll
  static void stopSource() throws Exception {
    if (source != null) {
      source.close();
    }
  }

  record Run(int exit, String out, String err) {
  }

  private Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine(Map.of());
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  private List<String> args(Path migrations, String... extra) throws Exception {
    Path password = Files.writeString(dir.resolve("pw"), "unused-under-trust\n");
    List<String> args = new ArrayList<>(List.of("dry-run",
        "--source-url", "jdbc:postgresql://localhost:" + source.getPort() + "/odoo",
        "--source-user", "postgres", "--source-password-file", password.toString(),
        "--work-dir", dir.resolve("work").toString(),
        "-m", migrations.toString(),
        "--image-digest", DIGEST,
        "--report-dir", dir.resolve("reports").toString()));
    args.addAll(List.of(extra));
    return args;
  }

  private Path migration(String name, String sql) throws Exception {
    Path migrations = Files.createDirectories(dir.resolve("sql"));
    Files.writeString(migrations.resolve(name), sql);
    return migrations;
  }

  @Test
  @Requires(Tool.PG_DUMP)
  void passesAHarmlessMigrationAndWritesTheReports() throws Exception {
    Path migrations = migration("V1__partner_ref.sql",
        "SET lock_timeout = '5s';\nSET statement_timeout = '1min';\nALTER TABLE res_partner ADD COLUMN ref varchar;\n");
    Path addons = Files.createDirectories(dir.resolve("addons/shop_ext/migrations/1.1"));
    Files.writeString(addons.resolve("pre-move.py"), "def migrate(cr, version):\n    pass\n");
    Path modules = Files.writeString(dir.resolve("modules.json"),
        "[{\"name\": \"base\", \"version\": \"17.0.1.3\"},"
            + " {\"name\": \"shop_ext\", \"version\": \"1.1\", \"path\": \"addons/shop_ext\"}]");

    Run run = run(args(migrations, "-o", "json", "--odoo-series", "17.0", "--image-modules", modules.toString())
        .toArray(String[]::new));

    assertThat(run.exit()).as(run.err()).isZero();
    JsonNode summary = new ObjectMapper().readTree(run.out());
    // the plan upgrades a module and nothing ran odoo -u: never PASS (issue 13), WARN exits 0 by default
    assertThat(summary.get("verdict").asText()).isEqualTo("WARN");
    assertThat(summary.get("imageDigest").asText()).isEqualTo(DIGEST);
    assertThat(summary.get("reportSha256").asText()).startsWith("sha256:");
    assertThat(run.err()).contains("with the embedded strategy", "verdict WARN");
    JsonNode report = new ObjectMapper().readTree(dir.resolve("reports/dry-run.json").toFile());
    assertThat(report.get("schemaVersion").asInt()).isEqualTo(1);
    assertThat(report.at("/upgradePlan/modules/1/scripts/0/file").asText())
        .isEqualTo("migrations/1.1/pre-move.py");
    assertThat(report.at("/neutralization/applied/0/id").asText()).isEqualTo("crons-off");
    assertThat(dir.resolve("reports/dry-run.md")).exists();
    assertThat(dir.resolve("reports/dry-run-junit.xml")).exists();
    try (var left = Files.list(dir.resolve("work/clones"))) {
      assertThat(left).as("embedded clone removed").isEmpty();
    }
  }

  /**
   * A stand-in {@code odoo}: connects to the clone through libpq's environment (psql, of postgresql-client), as Odoo
   * does, updates 10 rows, and logs a module upgrade with its migration script in Odoo 17's log format.
   */
  private Path standInOdoo() throws Exception {
    Path odoo = dir.resolve("odoo-bin");
    Files.writeString(odoo, """
        #!/bin/sh
        db=""; modules=""
        while [ $# -gt 0 ]; do
          case "$1" in -d) db="$2"; shift ;; -u) modules="$2"; shift ;; esac
          shift
        done
        log() { echo "$(date '+%Y-%m-%d %H:%M:%S'),000 $$ INFO $db $1: $2"; }
        log odoo "Odoo version 17.0-20241120"
        psql -X -q -d "$db" -c "BEGIN; UPDATE res_partner SET name = name WHERE id <= 10; SELECT pg_sleep(0.6);
          COMMIT;" >/dev/null || exit 7
        log odoo.modules.loading "loading 2 modules..."
        for m in $(echo "$modules" | tr ',' ' '); do
          log odoo.modules.loading "Loading module $m (2/2)"
          log odoo.modules.migration "module $m: Running migration [>1.1] pre-move"
          log odoo.modules.loading "Module $m loaded in 0.12s, 7 queries"
        done
        log odoo.modules.loading "2 modules loaded in 0.20s, 9 queries"
        """);
    Files.setPosixFilePermissions(odoo, PosixFilePermissions.fromString("rwxr-xr-x"));
    return odoo;
  }

  /** Issue 13: -m is optional, and the Odoo upgrade alone is one command with the local runner, on any strategy. */
  @Test
  @Requires(Tool.PG_DUMP)
  void theOdooUpgradeAloneRunsAsALocalProcessWithoutSqlMigrations() throws Exception {
    Path addons = Files.createDirectories(dir.resolve("addons/shop_ext/migrations/1.1"));
    Files.writeString(addons.resolve("pre-move.py"), "def migrate(cr, version):\n    pass\n");
    Path modules = Files.writeString(dir.resolve("modules.json"),
        "[{\"name\": \"base\", \"version\": \"17.0.1.3\"},"
            + " {\"name\": \"shop_ext\", \"version\": \"1.1\", \"path\": \"addons/shop_ext\"}]");
    List<String> args = args(dir, "--odoo-series", "17.0", "--image-modules", modules.toString(), "--odoo-bin",
        standInOdoo().toString(), "--odoo-timeout", "2m", "--require-odoo-upgrade");
    int m = args.indexOf("-m");
    args.remove(m + 1);
    args.remove(m);

    Run run = run(args.toArray(String[]::new));

    JsonNode report = new ObjectMapper().readTree(dir.resolve("reports/dry-run.json").toFile());
    assertThat(report.at("/odooUpgrade/outcome").asText()).as(run.err()).isEqualTo("SUCCEEDED");
    assertThat(report.at("/odooUpgrade/modules/0").asText()).isEqualTo("shop_ext");
    assertThat(report.get("migrations")).isEmpty();
    // measured from the database side: the stand-in's 10 updated rows, and its module from its log
    assertThat(report.at("/odooUpgrade/measurement/rowChanges/res_partner/updated").asLong()).isEqualTo(10);
    assertThat(report.at("/odooUpgrade/measurement/modules/0/module").asText()).isEqualTo("shop_ext");
    assertThat(run.err()).contains("with the embedded strategy", "odoo: ", "Module shop_ext loaded in 0.12s");
    // the upgrade ran, so --require-odoo-upgrade has nothing to fail on, and the announced script was run
    assertThat(run.out()).doesNotContain("odoo-upgrade-not-run", "odoo-migration-script",
        "odoo-upgrade-no-connection");
    assertThat(run.exit()).as(run.out() + run.err()).isZero();
    try (var left = Files.list(dir.resolve("work/clones"))) {
      assertThat(left).as("embedded clone removed").isEmpty();
    }
  }

  @Test
  @Requires(Tool.PG_DUMP)
  void aFailingMigrationExitsOneAndWarnCanBeMadeToFailTheBuild() throws Exception {
    Path migrations = migration("V1__broken.sql", "ALTER TABLE no_such_table ADD COLUMN x int;\n");
    Run failed = run(args(migrations).toArray(String[]::new));
    assertThat(failed.exit()).as(failed.err()).isEqualTo(1);
    assertThat(failed.out()).startsWith("dry-run FAIL for " + DIGEST).contains("migration-failed");

    Files.writeString(migrations.resolve("V1__broken.sql"), "ALTER TABLE res_partner DROP COLUMN name;\n");
    Run warned = run(args(migrations, "--warn-exit-code", "4").toArray(String[]::new));
    assertThat(warned.exit()).as(warned.out() + warned.err()).isEqualTo(4);
    assertThat(warned.out()).contains("rollback: restore required");
  }

  @Test
  void badInputExitsTwoWithoutAStackTrace() throws Exception {
    Path migrations = migration("V1__x.sql", "SELECT 1;\n");
    List<String> args = args(migrations);
    args.set(args.indexOf("--image-digest") + 1, "latest");
    Run run = run(args.toArray(String[]::new));
    assertThat(run.exit()).isEqualTo(2);
    // parsed by the option's converter, before anything is contacted, in the wording of every digest option
    assertThat(run.err()).contains("--image-digest 'latest' is not an image digest").doesNotContain("\tat ");

    Run strategy = run(args(migrations, "--strategy", "template").toArray(String[]::new));
    assertThat(strategy.exit()).isEqualTo(2);
    assertThat(strategy.err()).contains("needs --staging-url");

    Run image = run(args(migrations, "--container-image", "postgres:16").toArray(String[]::new));
    assertThat(image.exit()).isEqualTo(2);
    assertThat(image.err()).contains("--container-image only applies to --strategy container, not embedded");
  }

  /**
   * Issue 14, item 8: every input is checked before anything touches the source. The source here is unreachable, so
   * a run that got as far as the source would exit 3 ("cannot reach"); each mistake must exit 2 first.
   */
  @Test
  void everyInputIsCheckedBeforeTheSourceIsContacted() throws Exception {
    Path migrations = migration("V1__x.sql", "SELECT 1;\n");
    Path aFile = Files.writeString(dir.resolve("a-file"), "x");
    List<List<String>> mistakes = List.of(
        List.of("-m", dir.resolve("no-such-dir").toString()),
        List.of("--neutralize-sql", dir.resolve("anonymize.sql").toString()),
        List.of("--neutralize-sql", dir.toString()),
        List.of("--report-dir", aFile.resolve("reports").toString()),
        List.of("--strategy", "template", "--staging-url", "jdbc:postgresql://127.0.0.2:1/postgres"),
        List.of("--odoo-series", "17.0", "--image-modules", dir.resolve("modules.json").toString()));
    List<String> expected = List.of("migration location " + dir.resolve("no-such-dir") + " is not a directory",
        "neutralization script " + dir.resolve("anonymize.sql") + " does not exist",
        "neutralization script " + dir + " is a directory, not a regular file",
        "report directory " + aFile.resolve("reports") + " cannot be a directory",
        "is not the staging server 127.0.0.2:1",
        "image modules file " + dir.resolve("modules.json") + " does not exist");
    for (int i = 0; i < mistakes.size(); i++) {
      List<String> mistake = mistakes.get(i);
      List<String> args = args(migrations);
      if (args.contains(mistake.get(0)) && mistake.size() == 2) {
        args.set(args.indexOf(mistake.get(0)) + 1, mistake.get(1));
      } else {
        args.addAll(mistake);
      }
      args.set(args.indexOf("--source-url") + 1, "jdbc:postgresql://127.0.0.1:1/odoo");
      Run run = run(args.toArray(String[]::new));
      assertThat(run.exit()).as(mistake + ": " + run.err()).isEqualTo(2);
      assertThat(run.err()).contains(expected.get(i)).doesNotContain("cannot reach", "dry-run: cloning", "\tat ");
    }
    assertThat(dir.resolve("reports")).doesNotExist();
  }

  /**
   * Issue 14, item 9: a session on the template database makes CREATE DATABASE ... TEMPLATE fail. That says nothing
   * about the release (exit 1 would read as FAIL): exit 3, naming who is connected and what to do.
   */
  @Test
  void aBusyTemplateExitsThreeAndSaysWhoIsConnected() throws Exception {
    Path migrations = migration("V1__x.sql", "SELECT 1;\n");
    java.util.Properties props = new java.util.Properties();
    props.setProperty("user", "postgres");
    props.setProperty("ApplicationName", "busy-psql");
    try (Connection busy = java.sql.DriverManager.getConnection(
        "jdbc:postgresql://localhost:" + source.getPort() + "/odoo", props)) {
      Run run = run(args(migrations, "--strategy", "template", "--staging-url",
          "jdbc:postgresql://localhost:" + source.getPort() + "/postgres").toArray(String[]::new));

      assertThat(run.exit()).as(run.err()).isEqualTo(3);
      assertThat(run.err()).contains("template database 'odoo' is in use by ", " other session(s): pid ",
          "user postgres application 'busy-psql'", "pg_terminate_backend(pid)").doesNotContain("\tat ");
    }
    assertThat(dir.resolve("reports")).doesNotExist();
  }

  @Test
  void anUnreachableSourceExitsThree() throws Exception {
    Path migrations = migration("V1__x.sql", "SELECT 1;\n");
    List<String> args = args(migrations);
    args.set(args.indexOf("--source-url") + 1, "jdbc:postgresql://127.0.0.1:1/odoo");
    Run run = run(args.toArray(String[]::new));
    assertThat(run.exit()).isEqualTo(3);
    assertThat(run.err()).contains("cannot reach PostgreSQL at 127.0.0.1:1");
  }

  /**
   * No Docker engine here nor in CI: the container strategy must say so, point at the strategies that work, and leave
   * nothing anywhere. (Where Docker exists, core's ContainerCloneStrategyIT runs the strategy itself instead, and
   * ContainerCloneStrategyTest proves this refusal with the probe replaced.)
   */
  @Test
  @DisabledIf("dockerAvailable")
  void theContainerStrategyWithoutDockerExitsThreeAndLeavesNothingBehind() throws Exception {
    Path migrations = migration("V1__x.sql", "SELECT 1;\n");
    Run run = run(args(migrations, "--strategy", "container").toArray(String[]::new));

    assertThat(run.exit()).as(run.err()).isEqualTo(3);
    assertThat(run.err())
        .contains("no Docker engine: use --strategy embedded (the default), template or dump")
        .doesNotContain("\tat ");
    assertThat(dir.resolve("reports")).doesNotExist();
    for (String left : List.of("work/clones", "work/dumps")) {
      if (Files.exists(dir.resolve(left))) {
        try (var files = Files.list(dir.resolve(left))) {
          assertThat(files).as(left).isEmpty();
        }
      }
    }
    try (Connection c = source.getPostgresDatabase().getConnection(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_database WHERE datname LIKE 'odoo_gitops_dryrun%'")) {
      rs.next();
      assertThat(rs.getInt(1)).as("clone databases on the source server").isZero();
    }
  }

  static boolean dockerAvailable() {
    return DockerClientFactory.instance().isDockerAvailable();
  }
}
