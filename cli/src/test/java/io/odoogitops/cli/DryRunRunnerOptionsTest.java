package io.odoogitops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
    Path token = Files.writeString(dir.resolve("token"), "t0ken");
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

  /** Issue 13's bad input: an odoo-bin that does not exist or is not executable is refused before cloning. */
  @Test
  void localRunnerMistakes() throws Exception {
    Path missing = dir.resolve("odoo-bin");
    refusedUpFront(run("--odoo-bin", missing.toString()), 2, "--odoo-bin " + missing + " does not exist");
    Path notExecutable = Files.writeString(dir.resolve("odoo"), "#!/bin/sh\n");
    Files.setPosixFilePermissions(notExecutable, PosixFilePermissions.fromString("rw-r--r--"));
    refusedUpFront(run("--odoo-bin", notExecutable.toString()), 2, "--odoo-bin " + notExecutable
        + " is not executable");
    refusedUpFront(run("--odoo-bin", dir.toString()), 2, "is not a regular file");
    Path odoo = Files.writeString(dir.resolve("odoo-ok"), "#!/bin/sh\n");
    Files.setPosixFilePermissions(odoo, PosixFilePermissions.fromString("rwxr-xr-x"));
    refusedUpFront(run("--odoo-bin", odoo.toString(), "--odoo-arg=-d", "--odoo-arg=prod"), 2,
        "--odoo-arg -d is set by the dry-run itself");
    refusedUpFront(run("--odoo-bin", odoo.toString(), "--odoo-timeout", "0s"), 2,
        "the odoo -u timeout must be positive");
    refusedUpFront(run("--odoo-bin", odoo.toString(), "--upgrade-container", "--image",
        "registry.example.com/acme/odoo"), 2, "choose one odoo -u runner");
    refusedUpFront(run("--odoo-arg=-c", "--odoo-arg=/etc/odoo.conf"), 2, "--odoo-arg only applies with --odoo-bin");
  }

  @Test
  void measurementThresholdMistakes() {
    refusedUpFront(run("--max-rows-rewritten", "150%"), 2, "max rows rewritten must be a share of a table's rows");
    refusedUpFront(run("--max-rows-rewritten", "half"), 2, "--max-rows-rewritten 'half' is not a share like 50%");
    refusedUpFront(run("--lock-sample-interval", "500ms"), 2, "the lock sample interval must be between 1 and 200");
    refusedUpFront(run("--max-write-blocking", "half a minute"), 2, "'half a minute' is not a duration");
  }

  /** A good --max-write-blocking is taken: the run goes on to the (unreachable) source, exit 3. */
  @Test
  void theWriteBlockingLimitIsAcceptedAsADuration() {
    CliRun accepted = run("--max-write-blocking", "45s");
    assertThat(accepted.exitCode()).as(accepted.err()).isEqualTo(3);
    assertThat(accepted.err()).contains("cannot reach").doesNotContain("--max-write-blocking", "\tat ");
    CliRun help = CliRun.of("dry-run", "--help");
    assertThat(help.out() + help.err()).contains("--max-write-blocking=DURATION", "(default 30s)");
  }

  @Test
  void runnerFlagsWithoutTheirRunnerAndMissingArchives() {
    refusedUpFront(run("--odoo-timeout", "10m"), 2, "--odoo-timeout applies to --odoo-bin or --upgrade-container");
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
