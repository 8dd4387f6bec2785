package io.odoogitops.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.odoogitops.ReleaseException;
import io.odoogitops.cluster.UpgradeJobSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code dry-run --upgrade-job}: what is refused before anything is cloned, and where the Job's settings come from. */
class DryRunUpgradeJobOptionsTest {

  static final String DIGEST = "sha256:" + "0f".repeat(32);
  static final String CONFIG = """
      applications:
        odoo: { image: registry.example.com/acme/odoo }
      environments:
        staging:
          path: envs/staging
          layout: kustomize
          cluster:
            namespace: shop-staging
            workload: deployment/odoo
            flux: { kustomization: shop-staging }
            upgradeJob: { namespace: shop-upgrades, timeout: PT45M, serviceAccount: odoo-upgrade, databaseHost: pg-acme.staging.svc }
        production: { path: envs/production, layout: kustomize, promoteFrom: staging }
      """;

  @TempDir
  Path dir;

  /** Every required flag, pointing at nothing that exists: these runs must stop before connecting anywhere. */
  private List<String> args(String... more) {
    List<String> args = new ArrayList<>(List.of("dry-run", "--source-url", "jdbc:postgresql://127.0.0.1:1/prod",
        "--source-user", "release", "-m", dir.toString(), "--image-digest", DIGEST, "--report-dir",
        dir.resolve("report").toString()));
    args.addAll(List.of(more));
    return args;
  }

  private static CliRun run(List<String> args) {
    return CliRun.of(args.toArray(String[]::new));
  }

  @Test
  void embeddedClonesAreRefusedUpFront() {
    CliRun run = run(args("--strategy", "embedded", "--upgrade-job", "--upgrade-job-namespace", "staging",
        "--image", "registry.example.com/shop/odoo"));
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("embedded clones live on this machine only", "--strategy template or dump")
        .doesNotContain("dry-run: cloning");
  }

  @Test
  void theJobNeedsANamespaceAndTheImage() {
    CliRun noNamespace = run(args("--strategy", "template", "--staging-url",
        "jdbc:postgresql://127.0.0.1:1/postgres", "--upgrade-job", "--image", "registry.example.com/shop/odoo"));
    assertThat(noNamespace.exitCode()).isEqualTo(2);
    assertThat(noNamespace.err()).contains("--upgrade-job needs a namespace");
    CliRun noImage = run(args("--strategy", "template", "--upgrade-job", "--upgrade-job-namespace", "staging"));
    assertThat(noImage.exitCode()).isEqualTo(2);
    assertThat(noImage.err()).contains("--upgrade-job needs --image");
  }

  @Test
  void jobFlagsWithoutTheJobAreAMistake() {
    CliRun run = run(args("--upgrade-job-namespace", "staging"));
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("only apply with --upgrade-job");
  }

  private UpgradeJobOptions parsed(String... options) {
    DryRunCommand command = new DryRunCommand();
    List<String> args = args(options);
    new CommandLine(command).parseArgs(args.subList(1, args.size()).toArray(String[]::new));
    return command.upgradeJob;
  }

  @Test
  void theEnvironmentsUpgradeJobBlockGivesTheDefaultsAndFlagsWin() throws Exception {
    Path config = Files.writeString(dir.resolve("odoo-gitops.yaml"), CONFIG);
    UpgradeJobSettings fromConfig = parsed("--upgrade-job", "--env", "staging", "--config", config.toString())
        .settings();
    assertThat(fromConfig.namespace()).isEqualTo("shop-upgrades");
    assertThat(fromConfig.timeout()).isEqualTo(Duration.ofMinutes(45));
    assertThat(fromConfig.serviceAccount()).isEqualTo("odoo-upgrade");
    assertThat(fromConfig.databaseHost()).as("each environment's own clone server").isEqualTo("pg-acme.staging.svc");

    UpgradeJobSettings overridden = parsed("--upgrade-job", "--env", "staging", "--config", config.toString(),
        "--upgrade-job-namespace", "other", "--upgrade-job-timeout", "90s", "--upgrade-job-db-host", "pg.staging.svc")
        .settings();
    assertThat(overridden.namespace()).isEqualTo("other");
    assertThat(overridden.timeout()).isEqualTo(Duration.ofSeconds(90));
    assertThat(overridden.serviceAccount()).isEqualTo("odoo-upgrade");
    assertThat(overridden.databaseHost()).isEqualTo("pg.staging.svc");

    assertThatThrownBy(() -> parsed("--upgrade-job", "--env", "production", "--config", config.toString())
        .settings()).isInstanceOf(ReleaseException.class)
        .hasMessageContaining("environment 'production' has no cluster.upgradeJob block");
  }

  @Test
  void withoutConfigurationTheTimeoutDefaultsToThirtyMinutes() {
    UpgradeJobSettings settings = parsed("--upgrade-job", "--upgrade-job-namespace", "staging").settings();
    assertThat(settings.timeout()).isEqualTo(Duration.ofMinutes(30));
    assertThat(settings.serviceAccount()).isNull();
  }
}
