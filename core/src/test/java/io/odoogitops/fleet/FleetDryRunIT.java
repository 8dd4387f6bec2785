package io.odoogitops.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.odoogitops.ImageDigest;
import io.odoogitops.ReleaseException;
import io.odoogitops.config.ConfigLoader;
import io.odoogitops.config.ReleaseConfig;
import io.odoogitops.dryrun.OdooSourceDatabase;
import io.odoogitops.dryrun.report.ReportSigner;
import io.odoogitops.dryrun.report.ReportFiles;
import io.odoogitops.signing.SshKeygen;
import io.odoogitops.testing.Prerequisites.Tool;
import io.odoogitops.testing.Requires;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fleet dry-run} end to end on embedded PostgreSQL: three tenants with a database each (clones made with the
 * template strategy on the source's own server), one whose schema makes the release's migration fail, one tenant
 * without a database of its own, two dry-runs at a time.
 */
@Requires(Tool.SSH_KEYGEN)
class FleetDryRunIT {

  static final ImageDigest DIGEST = new ImageDigest("sha256:" + "5e".repeat(32));
  static final String PREFIX = "fleetitclone";
  static final String[] TENANTS = {"acme", "globex", "initech"};

  static OdooSourceDatabase db;

  @TempDir
  Path workspace;

  @BeforeAll
  static void sources() throws SQLException {
    db = OdooSourceDatabase.shared();
    for (String tenant : TENANTS) {
      db.copyOfSmallSource("fleet_" + tenant);
    }
    // initech already has the column the release adds (a hand-made fix in production): the migration fails there
    try (Connection c = db.superuser("fleet_initech"); Statement st = c.createStatement()) {
      st.execute("ALTER TABLE res_partner ADD COLUMN loyalty_tier varchar");
    }
  }

  @AfterEach
  void noCloneLeft() throws SQLException {
    assertThat(clones()).as("clones left on the server").isEmpty();
  }

  private ReleaseConfig config() {
    StringBuilder yaml = new StringBuilder("""
        applications:
          odoo: { image: registry.example.com/acme/odoo }
        environments:
        """);
    for (String tenant : TENANTS) {
      yaml.append("  ").append(tenant).append(":\n    path: envs/").append(tenant)
          .append("\n    layout: kustomize\n    dryRun:\n      source: { url: \"jdbc:postgresql://localhost:")
          .append(db.port()).append("/fleet_").append(tenant).append("\", user: ").append(OdooSourceDatabase.USER)
          .append(", passwordEnv: FLEET_PG }\n");
    }
    yaml.append("""
          umbrella: { path: envs/umbrella, layout: kustomize }
        fleets:
          saas:
            waves:
              - { name: canary, canary: true, environments: [acme] }
              - { name: rest, environments: [globex, initech, umbrella], maxParallel: 3 }
        """);
    return ConfigLoader.load(yaml.toString().getBytes(StandardCharsets.UTF_8), "odoo-gitops.yaml");
  }

  private FleetDryRun.Builder fleetDryRun(ReportSigner signer) throws Exception {
    Path migrations = Files.createDirectories(workspace.resolve("addons/shop/sql"));
    // long enough for two dry-runs to overlap for certain, so that a third one would be seen too
    Files.writeString(migrations.resolve("V1__loyalty_tier.sql"), """
        SET lock_timeout = '5s';
        SET statement_timeout = '1min';
        SELECT pg_sleep(2);
        ALTER TABLE res_partner ADD COLUMN loyalty_tier varchar;
        """);
    return FleetDryRun.builder()
        .fleet(config(), "saas")
        .image("registry.example.com/acme/odoo:17.0-5", DIGEST)
        .baseDirectory(workspace)
        .reportDir(Path.of("reports"))
        .variables(Map.of("FLEET_PG", OdooSourceDatabase.PASSWORD))
        .tenantOptions(setup -> setup.strategy("template").stagingAdminDatabase("postgres").clonePrefix(PREFIX)
            .migration("addons/shop/sql").reportSigner(signer));
  }

  @Test
  void dryRunsEveryTenantWithItsOwnDatabaseTwoAtATime() throws Exception {
    Path key = SshKeygen.generate(workspace, "ci-dryrun", "ed25519", null, null);
    FleetDryRun run = fleetDryRun(ReportSigner.fromKeyFile(key, null)).parallel(2).build();
    List<String> progress = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger most = new AtomicInteger();
    Thread watcher = watchClones(most);
    FleetDryRunResult result;
    try {
      result = run.run(progress::add);
    } finally {
      watcher.interrupt();
      watcher.join();
    }

    assertThat(most.get()).as("clones at the same time").isEqualTo(2);
    assertThat(result.tenants()).extracting(FleetDryRunResult.TenantResult::tenant)
        .containsExactly("acme", "globex", "initech", "umbrella");
    assertThat(result.tenants()).extracting(t -> t.status() + " " + t.verdict())
        .containsExactly("JUDGED PASS", "JUDGED PASS", "JUDGED FAIL", "SKIPPED null");
    assertThat(result.tenants().get(2).reason()).anyMatch(r -> r.contains("loyalty_tier"));
    assertThat(result.tenants().get(3).reason()).containsExactly("no dryRun.source in odoo-gitops.yaml");
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.counts()).containsEntry("PASS", 2).containsEntry("FAIL", 1).containsEntry("skipped", 1);
    assertThat(result.tenants().get(0).durationMs()).isGreaterThanOrEqualTo(2000);

    Path reports = workspace.resolve("reports");
    for (String tenant : TENANTS) {
      Path dir = reports.resolve(tenant);
      assertThat(FleetDryRun.reportOf(reports, tenant)).isRegularFile();
      assertThat(dir.resolve("dry-run.json.sha256")).isRegularFile();
      assertThat(dir.resolve("dry-run.md")).isRegularFile();
      assertThat(dir.resolve("dry-run-junit.xml")).isRegularFile();
      assertThat(dir.resolve(ReportFiles.SIGNATURE)).isRegularFile();
      assertThat(Files.readString(dir.resolve("dry-run.json"))).contains(DIGEST.value()).contains("fleet_" + tenant);
    }
    assertThat(result.tenants().get(0).report()).isEqualTo(reports.resolve("acme/dry-run.json").toString());
    assertThat(reports.resolve("umbrella")).doesNotExist();
    try (Stream<Path> files = Files.walk(reports)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        assertThat(Files.readString(file)).as(file.toString()).doesNotContain(OdooSourceDatabase.PASSWORD);
      }
    }
    assertThat(String.join("\n", progress)).doesNotContain(OdooSourceDatabase.PASSWORD)
        .contains("globex: dry-run starts").contains("initech: dry-run FAIL");
  }

  @Test
  void aTenantThatCannotRunDoesNotStopTheOthersAndTheExitCodeSaysTheEvidenceIsMissing() throws Exception {
    FleetDryRunResult result = fleetDryRun(null)
        .variables(Map.of("FLEET_PG", "wrong-" + OdooSourceDatabase.PASSWORD)).parallel(3).build()
        .run(line -> { });

    assertThat(result.tenants()).extracting(FleetDryRunResult.TenantResult::status).containsExactly(
        FleetDryRunResult.Status.ERROR, FleetDryRunResult.Status.ERROR, FleetDryRunResult.Status.ERROR,
        FleetDryRunResult.Status.SKIPPED);
    assertThat(result.tenants().get(0).reason()).singleElement().asString()
        .contains("refused the login").doesNotContain(OdooSourceDatabase.PASSWORD);
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(workspace.resolve("reports/acme/dry-run.json")).doesNotExist();
  }

  @Test
  void interruptedTheQueuedTenantsDoNotStartAndTheRunningOnesDropTheirClones() throws Exception {
    FleetDryRun run = fleetDryRun(null).parallel(1).build();
    List<String> progress = Collections.synchronizedList(new ArrayList<>());
    Thread caller = Thread.currentThread();
    Thread interrupter = new Thread(() -> {
      try {
        while (!progress.stream().anyMatch(l -> l.startsWith("acme: running migrations"))) {
          Thread.sleep(20);
        }
        caller.interrupt();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    interrupter.start();
    try {
      assertThatThrownBy(() -> run.run(progress::add))
          .isInstanceOf(ReleaseException.class)
          .hasMessageContaining("fleet dry-run of saas interrupted")
          .satisfies(e -> assertThat(((ReleaseException) e).exitCode()).isEqualTo(3));
    } finally {
      interrupter.join();
      Thread.interrupted();
    }
    assertThat(progress).noneMatch(l -> l.startsWith("globex:") || l.startsWith("initech:"));
    assertThat(workspace.resolve("reports/globex")).doesNotExist();
  }

  @Test
  void everyTenantIsCheckedBeforeAnyIsCloned() throws Exception {
    assertThatThrownBy(() -> fleetDryRun(null).variables(Map.of()).build())
        .isInstanceOf(ReleaseException.class)
        .hasMessage("tenant acme: the environment variable FLEET_PG named by environments.acme.dryRun.source"
            + ".passwordEnv is not set; export the password in it");
    assertThatThrownBy(() -> fleetDryRun(null).parallel(0).build())
        .hasMessageStartingWith("--parallel must be between 1 and 16");
    assertThatThrownBy(() -> fleetDryRun(null).tenantOptions(s -> s.strategy("template").odooBin(Path.of("no/odoo")))
        .build())
        .hasMessageStartingWith("tenant acme: ");
  }

  /** Polls the server's databases for clones of the prefix and keeps the most seen at once. */
  private Thread watchClones(AtomicInteger most) {
    Thread watcher = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        try {
          most.accumulateAndGet(clones().size(), Math::max);
          Thread.sleep(50);
        } catch (InterruptedException e) {
          return;
        } catch (SQLException e) {
          throw new IllegalStateException(e);
        }
      }
    }, "clone-watcher");
    watcher.start();
    return watcher;
  }

  private static List<String> clones() throws SQLException {
    List<String> names = new ArrayList<>();
    try (Connection c = db.superuser("postgres"); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT datname FROM pg_database WHERE datname LIKE '" + PREFIX + "%'")) {
      while (rs.next()) {
        names.add(rs.getString(1));
      }
    }
    return names;
  }
}
