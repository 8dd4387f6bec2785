package io.odoogitops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.odoogitops.cluster.JobStandIn;
import io.odoogitops.dryrun.OdooSourceDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fleet dry-run --upgrade-job} end to end: three tenants with a database each on the embedded PostgreSQL
 * (template clones), each tenant's {@code odoo -u} as a Kubernetes Job on the fabric8 mock API server in CRUD mode,
 * two at a time. The test thread plays the Job controller and the kubelet ({@link JobStandIn}): initech's Odoo exits
 * 255. Every tenant gets its report, the Jobs are named after their tenants, and no Job, Secret or clone is left.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class FleetDryRunUpgradeJobIT {

  static final String IMAGE = "registry.example.com/acme/odoo@sha256:" + "3c".repeat(32);
  static final String PREFIX = "fleetjobclone";
  static final String NAMESPACE = "upgrades";
  static final List<String> TENANTS = List.of("acme", "globex", "initech");
  static final String OK_LOG = """
      2026-11-23 10:00:00,001 7 INFO clone odoo.modules.loading: loading 84 modules...
      2026-11-23 10:00:01,200 7 INFO clone odoo.modules.loading: Module account loaded in 1.10s, 812 queries
      2026-11-23 10:00:03,400 7 INFO clone odoo.modules.loading: Module sale loaded in 2.10s, 377 queries
      2026-11-23 10:00:03,500 7 INFO clone odoo.service.server: Initiating shutdown
      """;

  static OdooSourceDatabase db;

  KubernetesMockServer server;
  /** The test's client, playing the controllers; the CLI opens its own from the kubeconfig. */
  KubernetesClient client;

  @TempDir
  Path dir;

  @BeforeAll
  static void sources() throws SQLException {
    db = OdooSourceDatabase.shared();
    for (String tenant : TENANTS) {
      db.copyOfSmallSource("fleet_job_" + tenant);
    }
  }

  @AfterEach
  void nothingLeft() throws SQLException {
    try (Connection c = db.superuser("postgres"); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_database WHERE datname LIKE '" + PREFIX + "%'")) {
      rs.next();
      assertThat(rs.getInt(1)).as("clones left").isZero();
    }
    assertThat(client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems()).as("jobs left").isEmpty();
    assertThat(client.secrets().inNamespace(NAMESPACE).list().getItems()).as("secrets left").isEmpty();
  }

  private Path config() throws Exception {
    StringBuilder yaml = new StringBuilder("""
        applications:
          odoo: { image: registry.example.com/acme/odoo }
        environments:
        """);
    for (String tenant : TENANTS) {
      yaml.append("  ").append(tenant).append(":\n    path: envs/").append(tenant)
          .append("\n    layout: kustomize\n    dryRun:\n      source: { url: \"jdbc:postgresql://localhost:")
          .append(db.port()).append("/fleet_job_").append(tenant).append("\", user: ").append(OdooSourceDatabase.USER)
          .append(", passwordEnv: FLEET_PG }\n");
    }
    // initech's own block gives its Job a shorter timeout; the namespace comes from the flag for all
    yaml.append("""
            cluster:
              namespace: initech
              workload: deployment/odoo
              argo: { application: initech }
              upgradeJob: { namespace: ignored-by-the-flag, timeout: PT2M }
        fleets:
          saas:
            waves:
              - { name: canary, canary: true, environments: [acme] }
              - { name: rest, environments: [globex, initech] }
        """);
    return Files.writeString(dir.resolve("odoo-gitops.yaml"), yaml.toString());
  }

  @Test
  void oneJobPerTenantTwoAtATimeReportsPerTenantAndNothingLeft() throws Exception {
    Path migrations = Files.createDirectories(dir.resolve("sql"));
    Files.writeString(migrations.resolve("V1__ref.sql"), "SET lock_timeout = '5s';\n"
        + "ALTER TABLE res_partner ADD COLUMN loyalty_ref varchar;\n");
    // the image's modules: the plan upgrades account and sale (new version, new checksum), as in DryRunUpgradeJobIT
    Path modules = Files.writeString(dir.resolve("modules.json"), "[{\"name\": \"base\", \"version\":"
        + " \"17.0.1.3\", \"checksum\": \"b1\"}, {\"name\": \"account\", \"version\": \"1.3\", \"checksum\":"
        + " \"a-new\"}, {\"name\": \"sale\", \"version\": \"1.2\", \"checksum\": \"s2\"}, {\"name\": \"stock\","
        + " \"version\": \"1.1\", \"checksum\": \"st1\"}]");
    Path kubeconfig = MockCluster.kubeconfig(dir, server.url("/"), "t0ken");
    Path config = config();
    CompletableFuture<CliRun> running = CompletableFuture.supplyAsync(() -> CliRun.of(
        Map.of("FLEET_PG", OdooSourceDatabase.PASSWORD), "fleet", "dry-run", "--config", config.toString(),
        "--fleet", "saas", "--image", IMAGE, "--report-dir", dir.resolve("reports").toString(), "--strategy",
        "template", "--clone-prefix", PREFIX, "-m", migrations.toString(), "--parallel", "2", "--upgrade-job",
        "--upgrade-job-namespace", NAMESPACE, "--kubeconfig", kubeconfig.toString(), "--odoo-series", "17.0",
        "--image-modules", modules.toString(), "--base-module", "legacy_addon",
        "-o", "json"));

    Map<String, String> jobOf = new HashMap<>();
    Set<String> finished = new LinkedHashSet<>();
    int most = 0;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (finished.size() < TENANTS.size() && System.nanoTime() < deadline && !running.isDone()) {
      List<Job> jobs = client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems().stream()
          .filter(j -> !finished.contains(j.getMetadata().getName())).toList();
      most = Math.max(most, jobs.size());
      // the first Job waits for a second one, so the test sees two Jobs at the same time
      boolean hold = finished.isEmpty() && jobs.size() < 2;
      for (Job job : hold ? List.<Job>of() : jobs) {
        String name = job.getMetadata().getName();
        String tenant = TENANTS.stream().filter(t -> name.startsWith("odoo-upgrade-" + t + "-")).findFirst()
            .orElseThrow(() -> new AssertionError("a Job not named after its tenant: " + name));
        jobOf.put(tenant, name);
        // what the pod would do with the Secret's credentials: upgrade the clone its arguments name
        List<String> args = job.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs();
        try (Connection pod = java.sql.DriverManager.getConnection("jdbc:postgresql://localhost:" + db.port() + "/"
            + args.get(args.size() - 1), OdooSourceDatabase.USER, OdooSourceDatabase.PASSWORD);
             Statement st = pod.createStatement()) {
          st.executeUpdate("UPDATE res_partner SET name = name || ' (upgraded)' WHERE id <= 3");
        }
        JobStandIn.finish(server, client, job, tenant.equals("initech") ? 255 : 0, OK_LOG);
        finished.add(name);
      }
      Thread.sleep(20);
    }
    CliRun run = running.get(60, TimeUnit.SECONDS);

    assertThat(most).as("Jobs at the same time").isEqualTo(2);
    assertThat(jobOf.keySet()).containsExactlyInAnyOrderElementsOf(TENANTS);
    assertThat(jobOf.values()).allSatisfy(name -> assertThat(name).hasSizeLessThanOrEqualTo(63)
        .matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?"));
    assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
    JsonNode json = new ObjectMapper().readTree(run.out());
    List<String> verdicts = new ArrayList<>();
    json.path("tenants").forEach(t -> verdicts.add(t.path("tenant").asText() + " " + t.path("verdict").asText()));
    assertThat(verdicts).as(run.out()).containsExactly("acme PASS", "globex PASS", "initech FAIL");
    for (String tenant : TENANTS) {
      JsonNode report = new ObjectMapper().readTree(dir.resolve("reports").resolve(tenant).resolve("dry-run.json")
          .toFile());
      assertThat(report.path("odooUpgrade").path("job").asText()).isEqualTo(jobOf.get(tenant));
      assertThat(report.path("odooUpgrade").path("exitCode").asInt()).isEqualTo(tenant.equals("initech") ? 255 : 0);
    }
    assertThat(run.err()).contains("fleet dry-run: globex: upgrade job: starting " + jobOf.get("globex"),
        "fleet dry-run: acme: odoo | ").containsPattern("initech: upgrade job: starting odoo-upgrade-initech-[a-z0-9]{8}"
        + " in namespace " + NAMESPACE + ": .*timeout PT2M\\)").containsPattern("acme: upgrade job: starting .*timeout PT30M\\)").doesNotContain(OdooSourceDatabase.PASSWORD, "t0ken");
  }

  @Test
  void jobFlagsWithoutTheJobAndEmbeddedClonesAreRefusedBeforeAnyClone() throws Exception {
    Path migrations = Files.createDirectories(dir.resolve("sql"));
    CliRun flagOnly = CliRun.of(Map.of("FLEET_PG", OdooSourceDatabase.PASSWORD), "fleet", "dry-run", "--config",
        config().toString(), "--fleet", "saas", "--image", IMAGE, "--report-dir", dir.resolve("r").toString(),
        "--strategy", "template", "-m", migrations.toString(), "--upgrade-job-namespace", NAMESPACE);
    assertThat(flagOnly.exitCode()).isEqualTo(Main.BAD_INPUT);
    assertThat(flagOnly.err()).contains("only apply with --upgrade-job");

    CliRun embedded = CliRun.of(Map.of("FLEET_PG", OdooSourceDatabase.PASSWORD), "fleet", "dry-run", "--config",
        config().toString(), "--fleet", "saas", "--image", IMAGE, "--report-dir", dir.resolve("r").toString(),
        "-m", migrations.toString(), "--upgrade-job", "--upgrade-job-namespace", NAMESPACE, "--kubeconfig",
        MockCluster.kubeconfig(dir, server.url("/"), "t0ken").toString());
    assertThat(embedded.exitCode()).isEqualTo(Main.BAD_INPUT);
    assertThat(embedded.err()).contains("embedded clones live on this machine only");

    // no namespace: acme has no cluster.upgradeJob block, so the tenant is named
    CliRun noNamespace = CliRun.of(Map.of("FLEET_PG", OdooSourceDatabase.PASSWORD), "fleet", "dry-run", "--config",
        config().toString(), "--fleet", "saas", "--image", IMAGE, "--report-dir", dir.resolve("r").toString(),
        "--strategy", "template", "-m", migrations.toString(), "--upgrade-job", "--kubeconfig",
        MockCluster.kubeconfig(dir, server.url("/"), "t0ken").toString());
    assertThat(noNamespace.exitCode()).isEqualTo(Main.BAD_INPUT);
    assertThat(noNamespace.err()).contains("tenant acme: --upgrade-job needs a namespace",
        "give tenant 'acme' a cluster.upgradeJob block");
  }
}
