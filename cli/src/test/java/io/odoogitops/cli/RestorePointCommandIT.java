package io.odoogitops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.odoogitops.dryrun.OdooSourceDatabase;
import io.odoogitops.testing.Prerequisites.Tool;
import io.odoogitops.testing.Requires;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code odoo-gitops restore-point take|plan} end to end: a real dump of the embedded PostgreSQL, and a cluster. */
@EnableKubernetesMockClient(crud = true, https = false)
class RestorePointCommandIT {

  static final String DIGEST = "sha256:" + "0f1e2d3c4b5a".repeat(5) + "6789";

  KubernetesMockServer server;

  @TempDir
  Path dir;

  private Path config(String restore) throws Exception {
    return Files.writeString(dir.resolve("odoo-gitops.yaml"), """
        applications:
          shop: { image: registry.example.com/acme/odoo }
        environments:
          production:
            path: envs/production
            layout: kustomize
            restorePoint: whenRestoreRequired
        """ + restore);
  }

  private Path dumpConfig() throws Exception {
    OdooSourceDatabase db = OdooSourceDatabase.shared();
    Files.createDirectories(dir.resolve("points"));
    return config("""
            restore:
              dump:
                location: %s
                database: { url: "jdbc:postgresql://localhost:%d/%s", user: %s, passwordEnv: PROD_PG }
        """.formatted(dir.resolve("points"), db.port(), OdooSourceDatabase.SMALL_SOURCE, OdooSourceDatabase.USER));
  }

  @Test
  @Requires(Tool.PG_DUMP)
  void takeWritesTheEvidenceAndPrintsTheTrailerThenPlanPrintsTheRestore() throws Exception {
    Path config = dumpConfig();
    Path evidence = dir.resolve("evidence/point.json");
    Map<String, String> env = Map.of("PROD_PG", OdooSourceDatabase.PASSWORD);

    CliRun take = CliRun.of(env, "restore-point", "take", "--env", "production", "--app", "shop", "--digest", DIGEST,
        "--config", config.toString(), "--evidence", evidence.toString());

    assertThat(take.exitCode()).as(take.err()).isZero();
    assertThat(take.out()).startsWith("Restore-Point: dump production-shop-0f1e2d3c4b5a-");
    assertThat(take.err()).contains("pg_dump -Fd -j 2").contains("dump complete");
    assertThat(take.out() + take.err()).doesNotContain(OdooSourceDatabase.PASSWORD);
    assertThat(evidence).isRegularFile();

    CliRun plan = CliRun.of("restore-point", "plan", "--env", "production", "--app", "shop", "--point",
        evidence.toString(), "--config", config.toString(), "-o", "json");
    assertThat(plan.exitCode()).as(plan.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(plan.out());
    assertThat(json.path("kind").asText()).isEqualTo("dump");
    assertThat(json.path("point").asText()).isEqualTo(take.out().lines().findFirst().orElseThrow()
        .substring("Restore-Point: ".length()));
    assertThat(json.path("steps").toString()).contains("pg_restore --jobs=2").contains("PGPASSWORD=\\\"$PROD_PG\\\"");

    CliRun otherApp = CliRun.of("restore-point", "plan", "--env", "production", "--app", "crm", "--point",
        evidence.toString(), "--config", config.toString());
    assertThat(otherApp.exitCode()).isEqualTo(Main.BAD_INPUT);
    assertThat(otherApp.err()).contains("was taken for shop, not crm");
  }

  @Test
  void badDigestAndMissingPasswordAreBadInput() throws Exception {
    Path config = dumpConfig();
    CliRun badDigest = CliRun.of("restore-point", "take", "--env", "production", "--app", "shop", "--digest",
        "latest", "--config", config.toString());
    assertThat(badDigest.exitCode()).isEqualTo(Main.BAD_INPUT);
    assertThat(badDigest.err()).contains("--digest 'latest' is not an image digest");

    CliRun noPassword = CliRun.of("restore-point", "take", "--env", "production", "--app", "shop", "--digest",
        DIGEST, "--config", config.toString(), "--evidence", dir.resolve("e.json").toString());
    assertThat(noPassword.exitCode()).isEqualTo(Main.BAD_INPUT);
    assertThat(noPassword.err()).contains("PROD_PG").contains("is not set");
    assertThat(dir.resolve("e.json")).doesNotExist();
  }

  @Test
  void cloudNativePGNotInstalledIsBadInputWithTheReason() throws Exception {
    Path config = config("""
            cluster:
              namespace: shop
              workload: deployment/odoo
              argo: { application: shop-production }
              cloudNativePG: { cluster: odoo-db }
        """);
    Path kubeconfig = MockCluster.kubeconfig(dir, server.url("/"), "t0ken");

    CliRun take = CliRun.of("restore-point", "take", "--env", "production", "--app", "shop", "--digest", DIGEST,
        "--config", config.toString(), "--kubeconfig", kubeconfig.toString(),
        "--evidence", dir.resolve("e.json").toString());

    assertThat(take.exitCode()).as(take.err()).isEqualTo(Main.BAD_INPUT);
    assertThat(take.err()).contains("CloudNativePG is not installed").doesNotContain("t0ken");
    assertThat(dir.resolve("e.json")).doesNotExist();
  }

  @Test
  void noSubcommandIsAUsageError() {
    CliRun run = CliRun.of("restore-point");
    assertThat(run.exitCode()).isEqualTo(Main.BAD_INPUT);
    assertThat(run.err()).contains("take or plan");
  }
}
