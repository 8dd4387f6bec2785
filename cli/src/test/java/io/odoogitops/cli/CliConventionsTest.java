package io.odoogitops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.odoogitops.gitops.GitCredentials;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.ArgGroupSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ScopeType;

/** The conventions every command follows (docs/cli.md, "Conventions"), checked over the whole command tree. */
class CliConventionsTest {

  private static final Pattern SECRET_NAME = Pattern.compile("password|passphrase|token", Pattern.CASE_INSENSITIVE);

  @TempDir
  Path dir;

  @Test
  void everyCommandPrintsTheVersion() {
    String version = new VersionProvider().getVersion()[0];
    assertThat(version).isEqualTo("odoo-gitops (development build)");
    List<List<String>> commands = commands();
    assertThat(commands).hasSizeGreaterThan(20);
    for (List<String> command : commands) {
      List<String> argv = new ArrayList<>(command);
      argv.add("--version");
      CliRun run = CliRun.of(argv.toArray(String[]::new));
      assertThat(run.exitCode()).as(String.join(" ", argv)).isZero();
      assertThat(run.out()).as(String.join(" ", argv)).startsWith(version + "\nJava ");
    }
  }

  @Test
  void helpAndVersionAreDeclaredOnceOnTheTopCommandAndInherited() {
    Command top = Main.class.getAnnotation(Command.class);
    assertThat(top.mixinStandardHelpOptions()).isTrue();
    assertThat(top.scope()).isEqualTo(ScopeType.INHERIT);
    walk(Main.commandLine(), (path, command) -> {
      Class<?> type = command.getCommandSpec().userObject().getClass();
      if (type != Main.class && type.getPackageName().startsWith("io.odoogitops")) {
        assertThat(type.getAnnotation(Command.class).mixinStandardHelpOptions()).as(path).isFalse();
      }
    });
  }

  @Test
  void everyHelpRendersWithoutPicocliWarnings() {
    // picocli formats descriptions with String.format and warns on System.err about a bare '%'
    java.io.ByteArrayOutputStream warnings = new java.io.ByteArrayOutputStream();
    java.io.PrintStream err = System.err;
    System.setErr(new java.io.PrintStream(warnings, true, StandardCharsets.UTF_8));
    try {
      walk(Main.commandLine(), (path, command) -> command.usage(new java.io.PrintWriter(new java.io.StringWriter())));
    } finally {
      System.setErr(err);
    }
    assertThat(warnings.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void aMistypedCommandIsAnErrorEvenWithHelp() {
    CliRun fleet = CliRun.of("fleet", "plann", "--help");
    assertThat(fleet.exitCode()).isEqualTo(Main.BAD_INPUT);
    assertThat(fleet.err()).contains("unknown command 'plann' for 'odoo-gitops fleet'; did you mean 'plan'?");
    assertThat(fleet.out()).isEmpty();

    CliRun top = CliRun.of("promot", "--help");
    assertThat(top.exitCode()).isEqualTo(Main.BAD_INPUT);
    assertThat(top.err()).contains("unknown command 'promot' for 'odoo-gitops'; did you mean 'promote'?");
    assertThat(top.out()).isEmpty();

    CliRun withoutHelp = CliRun.of("fleet", "plann");
    assertThat(withoutHelp.exitCode()).isEqualTo(Main.BAD_INPUT);
    assertThat(withoutHelp.err()).contains("did you mean 'plan'?");

    for (String[] help : List.of(new String[] {"--help"}, new String[] {"help", "promote"},
        new String[] {"promote", "--help"}, new String[] {"fleet", "--help"}, new String[] {"fleet", "plan", "-h"})) {
      CliRun run = CliRun.of(help);
      assertThat(run.exitCode()).as(String.join(" ", help)).isZero();
      assertThat(run.out()).as(String.join(" ", help)).startsWith("Usage: odoo-gitops");
    }
  }

  @Test
  void theCompletionScriptCompletesEveryCommand() throws Exception {
    CliRun run = CliRun.of("generate-completion");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).startsWith("#!/usr/bin/env bash");
    List<List<String>> commands = commands();
    for (List<String> command : commands) {
      assertThat(run.out()).as(String.join(" ", command))
          .containsPattern("local cmds\\d+=\\(" + Pattern.quote(String.join(" ", command)) + "\\)");
    }
    assertThat(CliRun.of("--help").out()).contains("generate-completion");

    // What a user gets from `source <(odoo-gitops generate-completion)`: bash completes commands and flags.
    Path script = Files.writeString(dir.resolve("odoo-gitops.bash"), run.out());
    assertThat(complete(script, "odoo-gitops", "fleet", "pl")).isEqualTo("plan");
    assertThat(complete(script, "odoo-gitops", "promo")).isEqualTo("promote");
    assertThat(complete(script, "odoo-gitops", "history", "--git-tok"))
        .as("the refused value flag is not offered").isEqualTo("--git-token-file --git-token-env");
  }

  /** What bash's programmable completion offers for the last word of {@code words}. */
  private static String complete(Path script, String... words) throws IOException, InterruptedException {
    String line = String.join(" ", words);
    Process bash = new ProcessBuilder("bash", "-c", "source \"$1\" && COMP_WORDS=(" + line + ") && COMP_CWORD="
        + (words.length - 1) + " && COMP_LINE='" + line + "' && COMP_POINT=${#COMP_LINE} && _complete_odoo-gitops"
        + " 2>/dev/null; echo \"${COMPREPLY[*]}\"", "bash", script.toString()).redirectErrorStream(true).start();
    assertThat(bash.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
  }

  @Test
  void everySecretIsAFileOrANamedVariableNeverAValue() {
    Map<String, List<String>> secrets = new LinkedHashMap<>();
    walk(Main.commandLine(), (path, command) -> {
      CommandSpec spec = command.getCommandSpec();
      List<OptionSpec> conventional = new ArrayList<>();
      secretMixins(spec, (flag, mixin) -> {
        secrets.computeIfAbsent(flag, f -> new ArrayList<>()).add(path);
        conventional.addAll(mixin.options());
        assertThat(spec.findOption(flag + "-file").hidden()).as(path + " " + flag).isFalse();
        assertThat(spec.findOption(flag + "-env").hidden()).as(path + " " + flag).isFalse();
        assertThat(spec.findOption(flag).hidden()).as(path + " " + flag).isTrue();
      });
      for (OptionSpec option : spec.options()) {
        if (SECRET_NAME.matcher(option.longestName()).find()) {
          assertThat(conventional).as(path + " " + option.longestName() + " is a SecretOptions flag")
              .anyMatch(o -> o == option);
        }
      }
    });
    assertThat(secrets.keySet()).containsExactlyInAnyOrder("--git-token", "--ssh-passphrase",
        "--signing-key-passphrase", "--key-passphrase", "--token", "--registry-password", "--source-password",
        "--staging-password");

    secrets.forEach((flag, paths) -> {
      List<String> argv = new ArrayList<>(List.of(paths.get(0).split(" ")));
      argv.addAll(List.of(flag, "s3cr3t-on-argv"));
      CliRun run = CliRun.of(argv.toArray(String[]::new));
      assertThat(run.exitCode()).as(String.join(" ", argv)).isEqualTo(Main.BAD_INPUT);
      assertThat(run.err()).as(String.join(" ", argv))
          .contains(flag + " would put the ", flag + "-file FILE", flag + "-env VAR", "'Secrets' in docs/cli.md")
          .doesNotContain("s3cr3t-on-argv");
      List<String> attachedArgv = new ArrayList<>(List.of(paths.get(0).split(" ")));
      attachedArgv.add(flag + "=s3cr3t-on-argv");
      CliRun attached = CliRun.of(attachedArgv.toArray(String[]::new));
      assertThat(attached.exitCode()).isEqualTo(Main.BAD_INPUT);
      assertThat(attached.err()).contains(flag + "-file FILE").doesNotContain("s3cr3t-on-argv");
    });
  }

  private static void secretMixins(CommandSpec spec, BiConsumer<String, CommandSpec> visitor) {
    for (CommandSpec mixin : spec.mixins().values()) {
      if (mixin.userObject() instanceof SecretOptions) {
        String file = mixin.options().stream().map(OptionSpec::longestName).filter(n -> n.endsWith("-file"))
            .findFirst().orElseThrow();
        visitor.accept(file.substring(0, file.length() - "-file".length()), mixin);
      }
      secretMixins(mixin, visitor);
    }
  }

  @Test
  void aSecretComesFromItsFileElseTheRunsVariableItNames() throws IOException {
    Map<String, String> environment = Map.of("KUBE_TOKEN", "from-the-default-variable", "CI_KUBE", "from-ci-kube",
        "CI_GIT", "from-ci-git");
    assertThat(clusterToken(environment)).contains("from-the-default-variable");
    assertThat(clusterToken(environment, "--token-env", "CI_KUBE")).contains("from-ci-kube");
    assertThat(clusterToken(environment, "--token-env", "UNSET")).isEmpty();
    Path file = Files.writeString(dir.resolve("token"), "from-the-file\n");
    assertThat(clusterToken(environment, "--token-env", "CI_KUBE", "--token-file", file.toString()))
        .as("the file wins, without its newline").contains("from-the-file");

    CommandLine cli = Main.commandLine(environment);
    cli.parseArgs("history", "--env", "production", "--git-token-env", "CI_GIT");
    GitCredentials credentials = ((HistoryCommand) cli.getSubcommands().get("history").getCommand()).repository
        .credentials();
    assertThat(credentials).isEqualTo(new GitCredentials.HttpsToken("git", "from-ci-git"));
  }

  private static java.util.Optional<String> clusterToken(Map<String, String> environment, String... flags) {
    CommandLine cli = Main.commandLine(environment);
    List<String> argv = new ArrayList<>(List.of("verify", "--env", "production", "--app", "shop", "--commit",
        "1234567", "--server", "https://127.0.0.1:1"));
    argv.addAll(List.of(flags));
    cli.parseArgs(argv.toArray(String[]::new));
    return ((VerifyCommand) cli.getSubcommands().get("verify").getCommand()).connection.token.value();
  }

  @Test
  void theWaysToReachTheClusterAreExclusiveAtParseTime() {
    String[] verify = {"verify", "--env", "production", "--app", "shop", "--commit", "1234567", "--digest",
        "sha256:" + "a".repeat(64), "-n", "shop", "--workload", "deployment/odoo"};
    for (String[] two : List.of(new String[] {"--kubeconfig", "/nonexistent/kubeconfig", "--in-cluster"},
        new String[] {"--in-cluster", "--server", "https://admin:pa55word@127.0.0.1:1"},
        new String[] {"--kubeconfig", "/nonexistent/kubeconfig", "--server", "https://127.0.0.1:1"})) {
      CliRun run = CliRun.of(concat(verify, two));
      assertThat(run.exitCode()).as(String.join(" ", two)).isEqualTo(Main.BAD_INPUT);
      assertThat(run.err()).as(String.join(" ", two))
          .containsPattern("error: give one of .* \\| .*, not several: they are exclusive")
          .contains(List.of(two).stream().filter(arg -> arg.startsWith("--")).toList())
          .doesNotContain("pa55word").doesNotContain("/nonexistent/kubeconfig");
    }
    CliRun controllers = CliRun.of(concat(verify, new String[] {"--argo-application", "shop", "--flux-kustomization",
        "shop"}));
    assertThat(controllers.exitCode()).isEqualTo(Main.BAD_INPUT);
    assertThat(controllers.err()).contains("give one of [--argo-application=NAME [--argo-namespace=NS]] |"
        + " [--flux-kustomization=NAME [--flux-namespace=NS]], not several: they are exclusive");

    CliRun context = CliRun.of(concat(verify, new String[] {"--context", "prod"}));
    assertThat(context.exitCode()).isEqualTo(Main.BAD_INPUT);
    assertThat(context.err()).contains("Missing required argument(s): --kubeconfig=FILE");

    for (String command : List.of("verify", "promote", "dry-run", "restore-point take", "restore-point plan")) {
      CommandLine cli = Main.commandLine();
      for (String word : command.split(" ")) {
        cli = cli.getSubcommands().get(word);
      }
      assertThat(cli.getCommandSpec().argGroups()).as(command).anySatisfy(group -> {
        assertThat(group.exclusive()).isTrue();
        assertThat(names(group)).containsAll(Set.of("--kubeconfig", "--context", "--in-cluster", "--server",
            "--ca-file"));
      });
    }
  }

  private static Set<String> names(ArgGroupSpec group) {
    Set<String> names = new TreeSet<>();
    group.allOptionsNested().forEach(option -> names.add(option.longestName()));
    return names;
  }

  private static String[] concat(String[] first, String[] second) {
    List<String> all = new ArrayList<>(List.of(first));
    all.addAll(List.of(second));
    return all.toArray(String[]::new);
  }

  /** Every command and subcommand as the words that call it, except picocli's help command. */
  private static List<List<String>> commands() {
    List<List<String>> commands = new ArrayList<>();
    walk(Main.commandLine(), (path, command) -> {
      if (!path.isEmpty()) {
        commands.add(List.of(path.split(" ")));
      }
    });
    return commands;
  }

  private static void walk(CommandLine command, BiConsumer<String, CommandLine> visitor) {
    walk(command, "", visitor);
  }

  private static void walk(CommandLine command, String path, BiConsumer<String, CommandLine> visitor) {
    visitor.accept(path, command);
    command.getSubcommands().forEach((name, sub) -> {
      if (!(sub.getCommand() instanceof CommandLine.HelpCommand)) {
        walk(sub, path.isEmpty() ? name : path + " " + name, visitor);
      }
    });
  }
}
