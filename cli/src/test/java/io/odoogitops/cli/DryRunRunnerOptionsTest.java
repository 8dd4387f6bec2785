package io.odoogitops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIf;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;

/**
 * The {@code odoo -u} runner flags of {@code dry-run}: every mistake is refused before anything is cloned. The source
 * is unreachable, so a run that got as far as the source would say "cannot reach" with exit 3.
 */
class DryRunRunnerOptionsTest {

  static final String DIGEST = "sha256:" + "0e".repeat(32);

  @TempDir
  Path dir;

  private CliRun run(String... more) {
    List<String> args = new ArrayList<>(List.of("dry-run", "--source-url", "jdbc:postgresql://127.0.0.1:1/prod",
        "--source-user", "release", "-m", dir.toString(), "--image-digest", DIGEST, "--report-dir",
        dir.resolve("report").toString()));
    args.addAll(List.of(more));
    return CliRun.of(args.toArray(String[]::new));
  }

  private static void refusedUpFront(CliRun run, int exit, String message) {
    assertThat(run.exitCode()).as(run.err()).isEqualTo(exit);
    assertThat(run.err()).contains(message).doesNotContain("cannot reach", "dry-run: cloning", "\tat ");
  }

  @Test
  void containerRunnerMistakes() throws Exception {
    Path token = java.nio.file.Files.writeString(dir.resolve("token"), "t0ken");
    refusedUpFront(run("--upgrade-container"), 2, "--upgrade-container needs --image");
    refusedUpFront(run("--upgrade-container", "--image", "registry.example.com/acme/odoo", "--image-archive",
        dir.resolve("image.tar").toString()), 2, "image archive " + dir.resolve("image.tar") + " does not exist");
    refusedUpFront(run("--upgrade-container", "--image", "registry.example.com/acme/odoo", "--odoo-timeout", "0s"),
        2, "odoo upgrade timeout must be at least one second");
    refusedUpFront(run("--upgrade-container", "--upgrade-job", "--upgrade-job-namespace", "shop", "--strategy",
        "dump", "--staging-url", "jdbc:postgresql://127.0.0.1:1/postgres", "--image",
        "registry.example.com/acme/odoo", "--server", "https://127.0.0.1:1", "--token-file", token.toString()), 2,
        "choose one odoo -u runner");
  }

  @Test
  void runnerFlagsWithoutTheirRunnerAndMissingArchives() {
    refusedUpFront(run("--odoo-timeout", "10m"), 2, "--odoo-timeout applies to --upgrade-container");
    refusedUpFront(run("--image-archive", dir.resolve("image.tar").toString()), 2,
        "image archive " + dir.resolve("image.tar") + " does not exist");
    refusedUpFront(run("--odoo-timeout", "ten minutes"), 2, "'ten minutes' is not a duration");
  }

  /** Where Docker exists ContainerOdooUpgradeIT runs the runner itself; here the refusal is what can be proven. */
  @Test
  @DisabledIf("dockerAvailable")
  void theContainerRunnerWithoutDockerExitsThreeBeforeCloning() {
    refusedUpFront(run("--upgrade-container", "--image", "registry.example.com/acme/odoo"), 3,
        "no Docker engine: use --odoo-bin for a local process or --upgrade-job for a Kubernetes Job");
    assertThat(dir.resolve("report")).doesNotExist();
  }

  static boolean dockerAvailable() {
    return DockerClientFactory.instance().isDockerAvailable();
  }
}
