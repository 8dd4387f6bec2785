package io.odoogitops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MainTest {

  @Test
  void everyCommandHasHelp() {
    CommandLine cli = Main.commandLine();
    assertThat(cli.getSubcommands()).containsKeys("promote", "rollback", "history", "demo", "freeze", "gate");
    assertHelp(cli, new java.util.ArrayList<>());
    assertThat(CliRun.of("--help").out()).contains("Exit codes:", "2   bad input");
  }

  private static void assertHelp(CommandLine command, java.util.List<String> path) {
    for (var sub : command.getSubcommands().entrySet()) {
      if (sub.getKey().equals("help")) {
        continue;
      }
      java.util.List<String> argv = new java.util.ArrayList<>(path);
      argv.add(sub.getKey());
      java.util.List<String> withHelp = new java.util.ArrayList<>(argv);
      withHelp.add("--help");
      CliRun run = CliRun.of(withHelp.toArray(String[]::new));
      assertThat(run.exitCode()).as(String.join(" ", argv)).isZero();
      assertThat(run.out()).as(String.join(" ", argv)).contains("Usage: odoo-gitops " + String.join(" ", argv));
      assertHelp(sub.getValue(), argv);
    }
  }

  @Test
  void badFlagsAreExitTwoWithUsageHintAndNoStackTrace() {
    CliRun run = CliRun.of("promote", "--env", "production");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("Missing required options", "see 'odoo-gitops promote --help'")
        .doesNotContain("\tat ");
  }

  @Test
  void imageWithoutDigestIsBadInputBeforeAnythingIsContacted() {
    CliRun run = CliRun.of("promote", "--repo", "git://127.0.0.1:1/none.git", "--env", "production", "--app",
        "odoo", "--image", "registry.example.com/acme/odoo:17.0");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("has no digest", "promotions are pinned by digest").doesNotContain("\tat ");
    CliRun malformed = CliRun.of("promote", "--repo", "git://127.0.0.1:1/none.git", "--env", "production",
        "--app", "odoo", "--image", "registry.example.com/acme/odoo@sha256:abc");
    assertThat(malformed.exitCode()).isEqualTo(2);
    assertThat(malformed.err()).contains("64 lowercase hex digits");
  }

  @Test
  void tokensInTheRepositoryUrlAreRefusedAndNeverEchoed() {
    CliRun run = CliRun.of("history", "--repo", "https://ci:s3cr3t-token@git.example.com/gitops.git", "--env",
        "production");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("contains a password or token", "ODOO_GITOPS_GIT_TOKEN")
        .doesNotContain("s3cr3t-token");
  }

  @Test
  void missingRepositoryIsBadInput() {
    CliRun run = CliRun.of(Map.of(), "history", "--env", "production");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("no GitOps repository given; pass --repo <url> or set ODOO_GITOPS_REPO");
  }

  @Test
  void theRepositoryComesFromOdooGitopsRepoWhenNoFlagNamesIt(@TempDir Path cache) {
    Map<String, String> environment = Map.of("ODOO_GITOPS_REPO", "git://127.0.0.1:1/from-env.git");

    CliRun fromEnvironment = CliRun.of(environment, "history", "--env", "production", "--cache-dir",
        cache.toString());
    CliRun flagWins = CliRun.of(environment, "history", "--repo", "git://127.0.0.1:1/from-flag.git", "--env",
        "production", "--cache-dir", cache.toString());

    assertThat(fromEnvironment.exitCode()).isEqualTo(3);
    assertThat(fromEnvironment.err()).contains("could not fetch from git://127.0.0.1:1/from-env.git");
    assertThat(flagWins.exitCode()).isEqualTo(3);
    assertThat(flagWins.err()).contains("could not fetch from git://127.0.0.1:1/from-flag.git")
        .doesNotContain("from-env");
  }

  @Test
  void aStackTraceOnlyWhenTheRunsEnvironmentAsksForOne(@TempDir Path cache) {
    String[] args = {"history", "--repo", "git://127.0.0.1:1/gitops.git", "--env", "production", "--cache-dir",
        cache.toString()};

    assertThat(CliRun.of(Map.of(), args).err()).doesNotContain("\tat ");
    assertThat(CliRun.of(Map.of("ODOO_GITOPS_DEBUG", "1"), args).err()).contains("\tat ");
  }

  @Test
  void unreachableGitServerIsAnInfrastructureFailure(@org.junit.jupiter.api.io.TempDir java.nio.file.Path cache) {
    CliRun run = CliRun.of("history", "--repo", "git://127.0.0.1:1/gitops.git", "--env", "production",
        "--cache-dir", cache.toString());
    assertThat(run.exitCode()).isEqualTo(3);
    assertThat(run.err()).contains("could not fetch from git://127.0.0.1:1/gitops.git").doesNotContain("\tat ");
  }
}
