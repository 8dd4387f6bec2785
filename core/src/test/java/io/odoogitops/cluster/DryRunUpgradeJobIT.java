package io.odoogitops.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.odoogitops.ImageDigest;
import io.odoogitops.ReleaseException;
import io.odoogitops.dryrun.DryRun;
import io.odoogitops.dryrun.DryRunRequest;
import io.odoogitops.dryrun.OdooSourceDatabase;
import io.odoogitops.dryrun.clone.CloneName;
import io.odoogitops.dryrun.clone.StagingServer;
import io.odoogitops.dryrun.clone.TemplateCloneStrategy;
import io.odoogitops.dryrun.migrate.MigrationSettings;
import io.odoogitops.dryrun.plan.ImageModule;
import io.odoogitops.dryrun.report.DryRunReport;
import io.odoogitops.dryrun.report.JUnitReport;
import io.odoogitops.dryrun.report.MarkdownReport;
import io.odoogitops.policy.Verdict;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real dry-run (template clone on the embedded PostgreSQL, real Flyway migration) whose {@code odoo -u} phase runs
 * as a Job on the fabric8 mock API server in CRUD mode. The test thread plays the Job controller and the kubelet, as
 * in {@link OdooUpgradeJobIT}, while the clone it upgrades exists.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class DryRunUpgradeJobIT {

  private static final String NAMESPACE = "staging";
  private static final ImageDigest DIGEST = new ImageDigest("sha256:" + "d".repeat(64));
  private static final String DB_HOST = "pg.staging.svc";
  private static final String OK_LOG = """
      2026-11-23 10:00:00,001 7 INFO clone odoo.modules.loading: loading 84 modules...
      2026-11-23 10:00:01,200 7 INFO clone odoo.modules.loading: Module account loaded in 1.10s, 812 queries
      2026-11-23 10:00:03,400 7 INFO clone odoo.modules.loading: Module sale loaded in 2.10s, 377 queries
      2026-11-23 10:00:03,500 7 INFO clone odoo.service.server: Initiating shutdown
      """;

  private static OdooSourceDatabase db;

  KubernetesMockServer server;
  /** The test's client, playing the controllers; the dry-run gets its own. */
  KubernetesClient client;
  private KubernetesClient runnerClient;
  private final List<String> progress = new CopyOnWriteArrayList<>();

  @TempDir
  Path dir;

  @BeforeAll
  static void source() {
    db = OdooSourceDatabase.shared();
  }

  @BeforeEach
  void openRunnerClient() {
    runnerClient = server.createClient(b -> b.editOrNewConfig().withRequestRetryBackoffLimit(1).endConfig());
  }

  @AfterEach
  void closeRunnerClient() {
    if (runnerClient != null) {
      runnerClient.close();
    }
  }

  private StagingServer staging() {
    return new StagingServer(db.stagingAdmin(), Duration.ofSeconds(30));
  }

  /** A dry-run whose plan upgrades account and sale (new version, new checksum) and adds a nullable column. */
  private DryRun dryRun(Duration jobTimeout) throws Exception {
    return dryRun(jobTimeout, List.of(new ImageModule("base", "17.0.1.3", "b1", null),
        new ImageModule("account", "1.3", "a-new", null), new ImageModule("sale", "1.2", "s2", null),
        new ImageModule("stock", "1.1", "st1", null)));
  }

  private DryRun dryRun(Duration jobTimeout, List<ImageModule> modules) throws Exception {
    Path sql = Files.createDirectories(dir.resolve("sql"));
    Files.writeString(sql.resolve("V1__partner_ref.sql"),
        "SET lock_timeout = '5s';\nALTER TABLE res_partner ADD COLUMN ref varchar;\n");
    UpgradeJobPhase phase = new UpgradeJobPhase(runnerClient, new ProgressListener() {
      @Override
      public void progress(String message) {
        progress.add(message);
      }
    }, UpgradeJobSettings.builder().namespace(NAMESPACE).timeout(jobTimeout).databaseHost(DB_HOST)
        .pollInterval(Duration.ofMillis(40)).build());
    return new DryRun(DryRunRequest.builder()
        .source(db.smallSource())
        .strategy(new TemplateCloneStrategy(staging()))
        .image("registry.example.com/shop/odoo:1.2", DIGEST)
        .migrations(MigrationSettings.of(List.of("filesystem:" + sql)))
        .odooModules("17.0", modules)
        .baseModules(List.of("legacy_addon"))
        .upgradePhase(phase)
        .build(), progress::add);
  }

  private Job awaitJob() throws InterruptedException {
    for (int i = 0; i < 500; i++) {
      List<Job> jobs = client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems();
      if (!jobs.isEmpty()) {
        return jobs.get(0);
      }
      Thread.sleep(20);
    }
    throw new AssertionError("the upgrade job was never created; progress: " + progress);
  }

  /** The kubelet's and the Job controller's part: the pod ran Odoo, printed {@code log} and exited. */
  private void finish(Job job, int exitCode, String log) {
    JobStandIn.finish(server, client, job, exitCode, log);
  }

  private void assertNothingLeft() {
    assertThat(staging().clones(CloneName.DEFAULT_PREFIX)).as("clones left").isEmpty();
    assertThat(client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems()).as("jobs left").isEmpty();
    assertThat(client.secrets().inNamespace(NAMESPACE).list().getItems()).as("secrets left").isEmpty();
  }

  private static String secretValue(Secret secret, String key) {
    return secret.getStringData() != null ? secret.getStringData().get(key)
        : new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
  }

  @Test
  void aSuccessfulUpgradeOfThePlannedModulesLeavesTheVerdictAndIsReported() throws Exception {
    DryRun dryRun = dryRun(Duration.ofSeconds(20));
    CompletableFuture<DryRunReport> running = CompletableFuture.supplyAsync(dryRun::run);
    Job job = awaitJob();

    // The upgrade runs the image by digest, on the clone that exists while it runs, reached by the cluster's host.
    List<String> clones = staging().clones(CloneName.DEFAULT_PREFIX);
    assertThat(clones).hasSize(1);
    var container = job.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(container.getImage()).isEqualTo("registry.example.com/shop/odoo@" + DIGEST);
    assertThat(container.getArgs()).containsExactly("-u", "account,sale", "--stop-after-init", "--workers=0", "-d",
        clones.get(0));
    Secret secret = client.secrets().inNamespace(NAMESPACE).withName(job.getMetadata().getName()).get();
    assertThat(secretValue(secret, "PGHOST")).isEqualTo(DB_HOST);
    assertThat(secretValue(secret, "PGPORT")).isEqualTo(String.valueOf(db.port()));
    assertThat(secretValue(secret, "PGUSER")).isEqualTo(OdooSourceDatabase.USER);

    // what the pod would do with the Secret's credentials: upgrade the clone (the dry-run measures it from there)
    try (java.sql.Connection pod = java.sql.DriverManager.getConnection("jdbc:postgresql://localhost:" + db.port()
        + "/" + clones.get(0), OdooSourceDatabase.USER, OdooSourceDatabase.PASSWORD);
         java.sql.Statement st = pod.createStatement()) {
      st.executeUpdate("UPDATE res_partner SET name = name || ' (upgraded)' WHERE id <= 3");
    }
    finish(job, 0, OK_LOG);
    DryRunReport report = running.get(30, TimeUnit.SECONDS);

    assertThat(report.judgement().verdict()).as(report.judgement().reasons().toString()).isEqualTo(Verdict.PASS);
    assertThat(report.odooUpgrade().measurement().rowChanges())
        .containsExactly(java.util.Map.entry("res_partner", new io.odoogitops.dryrun.migrate.RowChange(0, 3, 0)));
    assertThat(report.odooUpgrade().log().modules()).hasSize(2);
    assertThat(report.odooUpgrade().outcome()).isEqualTo("SUCCEEDED");
    assertThat(report.odooUpgrade().passed()).isTrue();
    assertThat(report.odooUpgrade().modules()).containsExactly("account", "sale");
    assertThat(report.odooUpgrade().job()).isEqualTo(job.getMetadata().getName());
    assertThat(report.odooUpgrade().exitCode()).isZero();
    assertThat(MarkdownReport.render(report, "0".repeat(64))).contains("| Odoo upgrade | `odoo -u` SUCCEEDED in ");
    assertThat(JUnitReport.render(report)).contains("name=\"odoo -u\"").contains("failures=\"0\"");
    assertThat(progress).anyMatch(line -> line.startsWith("running odoo -u account,sale from "))
        .noneMatch(line -> line.contains(OdooSourceDatabase.PASSWORD));
    assertNothingLeft();
  }

  @Test
  void theDependenciesTheReleaseAddsAreInstalledByTheJob() throws Exception {
    // sale 1.2 now depends on acme_base, which needs acme_core; neither is installed in the source
    DryRun dryRun = dryRun(Duration.ofSeconds(20), List.of(new ImageModule("base", "17.0.1.3", "b1", null),
        new ImageModule("account", "1.3", "a-new", null),
        new ImageModule("sale", "1.2", "s2", null, List.of("base", "acme_base"), false, java.util.Set.of(),
            List.of()),
        new ImageModule("acme_base", "1.0", null, null, List.of("acme_core"), false, java.util.Set.of(), List.of()),
        new ImageModule("acme_core", "1.0", null, null, List.of("base"), false, java.util.Set.of(), List.of()),
        new ImageModule("stock", "1.1", "st1", null)));
    CompletableFuture<DryRunReport> running = CompletableFuture.supplyAsync(dryRun::run);
    Job job = awaitJob();
    List<String> clones = staging().clones(CloneName.DEFAULT_PREFIX);
    assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs()).containsExactly("-u",
        "account,sale", "-i", "acme_base,acme_core", "--stop-after-init", "--workers=0", "-d", clones.get(0));
    finish(job, 0, OK_LOG);
    DryRunReport report = running.get(30, TimeUnit.SECONDS);

    assertThat(report.upgradePlan().names(io.odoogitops.dryrun.plan.ModulePlan.Action.INSTALL))
        .containsExactly("acme_base", "acme_core");
    assertThat(report.odooUpgrade().outcome()).isEqualTo("SUCCEEDED");
    assertThat(progress).anyMatch(line -> line.startsWith("running odoo -u account,sale -i acme_base,acme_core from "));
    assertThat(MarkdownReport.render(report, "0".repeat(64))).contains("installing acme_base, acme_core");
    assertThat(JUnitReport.render(report)).contains("planInstall=acme_base,acme_core");
    assertNothingLeft();
  }

  @Test
  void anErrorLineInOdoosLogFailsTheVerdict() throws Exception {
    DryRun dryRun = dryRun(Duration.ofSeconds(20));
    CompletableFuture<DryRunReport> running = CompletableFuture.supplyAsync(dryRun::run);
    finish(awaitJob(), 0, OK_LOG + "2026-11-23 10:00:04,000 7 ERROR clone odoo.modules.migration: module account:"
        + " Unable to run migration script 17.0.1.3/post-recompute.py\n");
    DryRunReport report = running.get(30, TimeUnit.SECONDS);

    assertThat(report.judgement().verdict()).isEqualTo(Verdict.FAIL);
    assertThat(report.odooUpgrade().outcome()).isEqualTo("LOG_ERRORS");
    assertThat(report.judgement().reasons()).singleElement().satisfies(r -> {
      assertThat(r.rule()).isEqualTo("odoo-upgrade");
      assertThat(r.message()).contains("post-recompute.py");
    });
    assertNothingLeft();
  }

  @Test
  void aNonZeroExitFailsTheVerdict() throws Exception {
    DryRun dryRun = dryRun(Duration.ofSeconds(20));
    CompletableFuture<DryRunReport> running = CompletableFuture.supplyAsync(dryRun::run);
    finish(awaitJob(), 255, "2026-11-23 10:00:01,000 7 INFO clone odoo: stopping\n");
    DryRunReport report = running.get(30, TimeUnit.SECONDS);

    assertThat(report.judgement().verdict()).isEqualTo(Verdict.FAIL);
    assertThat(report.odooUpgrade().exitCode()).isEqualTo(255);
    assertThat(report.odooUpgrade().detail()).contains("odoo exited with code 255");
    assertNothingLeft();
  }

  @Test
  void aTimeoutFailsTheVerdict() throws Exception {
    DryRunReport report = dryRun(Duration.ofSeconds(1)).run();

    assertThat(report.odooUpgrade().outcome()).isEqualTo("TIMED_OUT");
    assertThat(report.judgement().verdict()).isEqualTo(Verdict.FAIL);
    assertNothingLeft();
  }

  @Test
  void aJobTheClusterRefusesStopsTheRunAndStillDropsTheCloneAndTheSecret() throws Exception {
    server.expect().post().withPath("/apis/batch/v1/namespaces/" + NAMESPACE + "/jobs").andReturn(403, "Forbidden")
        .always();
    DryRun dryRun = dryRun(Duration.ofSeconds(20));

    assertThatThrownBy(dryRun::run).isInstanceOfSatisfying(ReleaseException.class, e -> {
      assertThat(e.kind()).isEqualTo(ReleaseException.Kind.BAD_INPUT);
      assertThat(e.getMessage()).contains("cannot create job odoo-upgrade-")
          .doesNotContain(OdooSourceDatabase.PASSWORD);
    });
    assertNothingLeft();
  }
}
