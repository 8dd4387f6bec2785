package io.odoogitops.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The runnable jar Maven packaged (failsafe runs after the package phase) as a user runs it, a process of its own:
 * its version is the project's, read from its manifest, for every command.
 */
class CliJarIT {

  private static final Path JAR = Path.of(System.getProperty("odoogitops.jar", "target/odoo-gitops.jar"));

  @Test
  void theJarSaysTheProjectVersion() throws Exception {
    String expected = System.getProperty("odoogitops.version");
    // failsafe passes it (cli/pom.xml) and runs after the package phase; a runner without either has no jar to test
    assumeTrue(expected != null, "not run by failsafe after the package phase, so there is no packaged jar");
    assertThat(JAR).as("the package phase builds it before the integration tests").isRegularFile();

    for (List<String> args : List.of(List.of("--version"), List.of("promote", "--version"),
        List.of("fleet", "plan", "-V"))) {
      Run run = java(args);
      assertThat(run.exitCode()).as(args + ": " + run.err()).isZero();
      assertThat(run.out().lines().findFirst()).as(String.join(" ", args)).contains("odoo-gitops " + expected);
      assertThat(run.out()).doesNotContain("development build");
    }
  }

  @Test
  void theJarRefusesAMistypedCommandWithHelp() throws Exception {
    assumeTrue(System.getProperty("odoogitops.version") != null, "not run by failsafe after the package phase");
    Run run = java(List.of("fleet", "plann", "--help"));
    assertThat(run.exitCode()).isEqualTo(Main.BAD_INPUT);
    assertThat(run.err()).contains("unknown command 'plann' for 'odoo-gitops fleet'; did you mean 'plan'?");
  }

  /** What a process printed and how it ended. */
  record Run(int exitCode, String out, String err) {}

  private static Run java(List<String> args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", JAR.toString()));
    command.addAll(args);
    return exec(command, Map.of());
  }

  /** Runs {@code command} with {@code env} added to this process's environment, for at most 180 s. */
  static Run exec(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
    Path out = Files.createTempFile("odoo-gitops", ".out");
    Path err = Files.createTempFile("odoo-gitops", ".err");
    try {
      ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
      builder.environment().putAll(env);
      Process process = builder.start();
      if (!process.waitFor(180, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(command + " did not finish within 180 s");
      }
      return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
