package io.odoogitops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.odoogitops.dryrun.OdooSourceDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code odoo-gitops fleet dry-run}: exit codes, the table, JSON, against two tenants' own embedded databases. */
class FleetDryRunCommandIT {

  static final String IMAGE = "registry.example.com/acme/odoo@sha256:" + "7a".repeat(32);
  static final String PREFIX = "fleetcliclone";
  static final Map<String, String> ENV = Map.of("FLEET_PG", OdooSourceDatabase.PASSWORD);

  static OdooSourceDatabase db;

  @TempDir
  Path dir;

  @BeforeAll
  static void sources() throws SQLException {
    db = OdooSourceDatabase.shared();
    db.copyOfSmallSource("fleet_cli_alpha");
    db.copyOfSmallSource("fleet_cli_beta");
    try (Connection c = db.superuser("fleet_cli_beta"); Statement st = c.createStatement()) {
      st.execute("ALTER TABLE res_partner ADD COLUMN vip boolean");
    }
  }

  @AfterEach
  void noCloneLeft() throws SQLException {
    try (Connection c = db.superuser("postgres"); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_database WHERE datname LIKE '" + PREFIX + "%'")) {
      rs.next();
      assertThat(rs.getInt(1)).as("clones left").isZero();
    }
  }

  private Path config(String betaUrl) throws Exception {
    return Files.writeString(dir.resolve("odoo-gitops.yaml"), """
        applications:
          odoo: { image: registry.example.com/acme/odoo }
        environments:
          alpha:
            path: envs/alpha
            layout: kustomize
            dryRun: { source: { url: "jdbc:postgresql://localhost:%d/fleet_cli_alpha", user: %s, passwordEnv: FLEET_PG } }
          beta:
            path: envs/beta
            layout: kustomize
            dryRun: { source: { url: "%s", user: %s, passwordEnv: FLEET_PG } }
          gamma: { path: envs/gamma, layout: kustomize }
        fleets:
          saas:
            waves:
              - { name: canary, canary: true, environments: [alpha] }
              - { name: rest, environments: [beta, gamma] }
        """.formatted(db.port(), OdooSourceDatabase.USER, betaUrl, OdooSourceDatabase.USER));
  }

  private String betaUrl() {
    return "jdbc:postgresql://localhost:" + db.port() + "/fleet_cli_beta";
  }

  private Path migration(String column) throws Exception {
    Path migrations = Files.createDirectories(dir.resolve("sql-" + column));
    Files.writeString(migrations.resolve("V1__" + column + ".sql"), "SET lock_timeout = '5s';\n"
        + "SET statement_timeout = '1min';\nALTER TABLE res_partner ADD COLUMN " + column + " boolean;\n");
    return migrations;
  }

  private CliRun fleetDryRun(Path config, Path migrations, String... extra) {
    List<String> args = new ArrayList<>(List.of("fleet", "dry-run", "--config", config.toString(), "--fleet", "saas",
        "--image", IMAGE, "--report-dir", dir.resolve("reports").toString(), "--strategy", "template",
        "--clone-prefix", PREFIX, "-m", migrations.toString()));
    args.addAll(List.of(extra));
    return CliRun.of(ENV, args.toArray(String[]::new));
  }

  @Test
  void everyTenantPassingExitsZeroWithATableAndTheSkippedTenantNamed() throws Exception {
    CliRun run = fleetDryRun(config(betaUrl()), migration("newsletter"));

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).startsWith("fleet saas dry-run: odoo@sha256:7a7a7a7a7a7a - 2 PASS, 1 skipped (at most 2"
        + " at a time)")
        .containsPattern("TENANT +WAVE +VERDICT +ROLLBACK +DURATION +REPORT")
        .containsPattern("alpha +canary +PASS +previous image compatible +\\d+\\.\\d s +"
            + dir.resolve("reports/alpha/dry-run.json"))
        .containsPattern("gamma +rest +skipped +- +- +no dryRun.source in odoo-gitops.yaml")
        .endsWith("exit 0\n");
    assertThat(run.err()).contains("fleet dry-run: beta: dry-run starts").doesNotContain(OdooSourceDatabase.PASSWORD);
    assertThat(dir.resolve("reports/beta/dry-run.json")).isRegularFile();
    assertThat(dir.resolve("reports/gamma")).doesNotExist();
  }

  @Test
  void aFailedTenantExitsOneAndJsonSaysWhichAndWhy() throws Exception {
    CliRun run = fleetDryRun(config(betaUrl()), migration("vip"), "--parallel", "1", "-o", "json");

    assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
    JsonNode json = new ObjectMapper().readTree(run.out());
    assertThat(json.path("exitCode").asInt()).isEqualTo(1);
    assertThat(json.path("parallel").asInt()).isEqualTo(1);
    assertThat(json.path("counts").path("FAIL").asInt()).isEqualTo(1);
    JsonNode beta = json.path("tenants").get(1);
    assertThat(beta.path("tenant").asText()).isEqualTo("beta");
    assertThat(beta.path("status").asText()).isEqualTo("judged");
    assertThat(beta.path("verdict").asText()).isEqualTo("FAIL");
    assertThat(beta.path("report").asText()).isEqualTo(dir.resolve("reports/beta/dry-run.json").toString());
    assertThat(beta.path("reason").toString()).contains("vip");
    assertThat(json.path("tenants").get(2).path("status").asText()).isEqualTo("skipped");
  }

  @Test
  void anUnreachableTenantExitsThreeWhileTheOthersStillGetTheirReports() throws Exception {
    CliRun run = fleetDryRun(config("jdbc:postgresql://127.0.0.1:1/odoo"), migration("newsletter"));

    assertThat(run.exitCode()).as(run.err()).isEqualTo(3);
    assertThat(run.out()).containsPattern("beta +rest +error +- +\\d+\\.\\d s +cannot reach PostgreSQL at 127.0.0.1:1");
    assertThat(dir.resolve("reports/alpha/dry-run.json")).isRegularFile();
  }

  @Test
  void badInputExitsTwoBeforeAnythingIsCloned() throws Exception {
    Path config = config(betaUrl());
    Path migrations = migration("newsletter");

    CliRun noPassword = CliRun.of(Map.of(), "fleet", "dry-run", "--config", config.toString(), "--fleet", "saas",
        "--image", IMAGE, "--report-dir", dir.resolve("reports").toString(), "-m", migrations.toString());
    assertThat(noPassword.exitCode()).isEqualTo(2);
    assertThat(noPassword.err()).contains("error: tenant alpha: the environment variable FLEET_PG named by"
        + " environments.alpha.dryRun.source.passwordEnv is not set");

    assertThat(fleetDryRun(config, migrations, "--parallel", "17").err()).contains("--parallel must be between 1 and 16");
    CliRun unknown = CliRun.of(ENV, "fleet", "dry-run", "--config", config.toString(), "--fleet", "nope",
        "--image", IMAGE, "--report-dir", dir.resolve("reports").toString());
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err()).contains("unknown fleet 'nope'");
    CliRun tagOnly = CliRun.of(ENV, "fleet", "dry-run", "--config", config.toString(), "--fleet", "saas",
        "--image", "registry.example.com/acme/odoo:17.0", "--report-dir", dir.resolve("reports").toString());
    assertThat(tagOnly.exitCode()).isEqualTo(2);
    CliRun missingMigrations = fleetDryRun(config, dir.resolve("no-such-dir"));
    assertThat(missingMigrations.exitCode()).isEqualTo(2);
    assertThat(missingMigrations.err()).contains("tenant alpha: ");
    assertThat(dir.resolve("reports")).doesNotExist();
  }
}
