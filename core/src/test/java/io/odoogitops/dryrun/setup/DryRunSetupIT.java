package io.odoogitops.dryrun.setup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.odoogitops.ImageDigest;
import io.odoogitops.ReleaseException;
import io.odoogitops.dryrun.OdooSourceDatabase;
import io.odoogitops.dryrun.clone.CloneName;
import io.odoogitops.dryrun.clone.PgEndpoint;
import io.odoogitops.dryrun.clone.StagingServer;
import io.odoogitops.dryrun.report.JsonReport;
import io.odoogitops.policy.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The front door end to end on embedded PostgreSQL, with the template strategy (the source's own server). */
class DryRunSetupIT {

  static final ImageDigest DIGEST = new ImageDigest("sha256:" + "cd".repeat(32));

  static OdooSourceDatabase db;

  @TempDir
  Path workspace;

  @BeforeAll
  static void source() {
    db = OdooSourceDatabase.shared();
  }

  private DryRunSetup.Builder setup(String migrationSql) throws Exception {
    Path migrations = Files.createDirectories(workspace.resolve("addons/shop/sql"));
    Files.writeString(migrations.resolve("V1__partner_ref.sql"), migrationSql);
    PgEndpoint source = db.smallSource();
    return DryRunSetup.builder()
        .baseDirectory(workspace)
        .source(source.jdbcUrl(), source.user(), source.password())
        .strategy("template")
        .stagingAdminDatabase("postgres")
        // relative, as a Jenkinsfile gives them: resolved against the workspace, not the JVM's directory
        .migration("addons/shop/sql")
        .image("registry.example.com/acme/odoo:17.0-1", DIGEST)
        .warnExitCode(4)
        .reportDir(Path.of("reports"));
  }

  @Test
  void runsMeasuresAndSummarizesWithTheExitCodeOfTheVerdict() throws Exception {
    List<String> progress = new ArrayList<>();
    DryRunOutcome warned = setup("ALTER TABLE res_partner ADD COLUMN ref varchar;\n").build().run(progress::add);

    assertThat(progress).anyMatch(line -> line.contains("with the template strategy"));
    // the linter wants SET lock_timeout before ALTER TABLE: WARN, mapped to the configured code
    assertThat(warned.verdict()).isEqualTo(Verdict.WARN);
    assertThat(warned.exitCode()).isEqualTo(4);
    assertThat(warned.reasonLines()).anyMatch(line -> line.startsWith("WARN missing-lock-timeout "));
    Map<String, Object> plain = warned.plainSummary(file -> workspace.relativize(file).toString());
    assertThat(plain).containsEntry("verdict", "WARN").containsEntry("imageDigest", DIGEST.value())
        .containsEntry("report", "reports/dry-run.json").containsEntry("markdown", "reports/dry-run.md")
        .containsEntry("junit", "reports/dry-run-junit.xml")
        .containsEntry("reportSha256File", "reports/dry-run.json.sha256")
        .containsEntry("reportSha256", "sha256:" + warned.files().sha256())
        .containsEntry("finishedAt", JsonReport.evidence(warned.files().json()).finishedAt().toString());
    assertThat((List<?>) plain.get("migrations")).singleElement()
        .satisfies(row -> {
          @SuppressWarnings("unchecked")
          Map<String, Object> migration = (Map<String, Object>) row;
          assertThat(migration).containsEntry("migration", "V1 partner ref").containsEntry("status", "SUCCESS");
        });
    assertThat(warned.summary()).containsEntry("verdict", Verdict.WARN)
        .containsEntry("report", workspace.resolve("reports/dry-run.json").toString());
    assertThat(warned.text()).startsWith("dry-run WARN for " + DIGEST + " (rollback: previous image compatible)");
    assertThat(workspace.resolve("reports/dry-run.json")).isRegularFile();

    DryRunOutcome failed = setup("ALTER TABLE no_such_table ADD COLUMN x int;\n").build().run(line -> { });
    assertThat(failed.verdict()).isEqualTo(Verdict.FAIL);
    assertThat(failed.exitCode()).isEqualTo(1);

    DryRunOutcome passed = setup("SET lock_timeout = '5s';\nSET statement_timeout = '1min';\n"
        + "ALTER TABLE res_partner ADD COLUMN ref varchar;\n").build().run(line -> { });
    assertThat(passed.verdict()).isEqualTo(Verdict.PASS);
    assertThat(passed.exitCode()).isZero();
  }

  /**
   * Issue 14, item 9: another session on the template database. Not a verdict on the release (exit 1 is FAIL): the
   * staging server is not ready, exit 3, with who is connected and what to do; no clone and no report left.
   */
  @Test
  void aBusyTemplateIsAnInfrastructureFailureNamingWhoIsConnected() throws Exception {
    PgEndpoint source = db.smallSource();
    Properties props = new Properties();
    props.setProperty("user", source.user());
    props.setProperty("password", source.password());
    props.setProperty("ApplicationName", "nightly-refresh");
    DryRunSetup setup = setup("SELECT 1;\n").build();
    StagingServer staging = new StagingServer(db.stagingAdmin(), Duration.ofSeconds(5));
    List<String> clonesBefore = staging.clones(CloneName.DEFAULT_PREFIX);
    try (Connection busy = DriverManager.getConnection(source.jdbcUrl(), props)) {
      assertThatThrownBy(() -> setup.run(line -> { }))
          .isInstanceOf(ReleaseException.class)
          .satisfies(e -> assertThat(((ReleaseException) e).exitCode()).isEqualTo(3))
          // the count may include a session of the server's own that is just ending; ours is named below
          .hasMessageMatching("(?s)template database '" + OdooSourceDatabase.SMALL_SOURCE + "' is in use by \\d+"
              + " other session\\(s\\): pid .*")
          .hasMessageContaining("user release application 'nightly-refresh'")
          .hasMessageContaining("pg_terminate_backend(pid)")
          .hasMessageNotContaining(OdooSourceDatabase.PASSWORD);
    }
    assertThat(workspace.resolve("reports")).doesNotExist();
    assertThat(staging.clones(CloneName.DEFAULT_PREFIX)).as("no clone left").isEqualTo(clonesBefore);
  }
}
