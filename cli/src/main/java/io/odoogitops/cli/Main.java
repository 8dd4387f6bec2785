package io.odoogitops.cli;

import io.odoogitops.ReleaseException;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Entry point of the {@code odoo-gitops} command. Exit codes are part of the interface (documented in README and
 * docs/cli.md): 0 ok, 1 refused by policy or conflict, 2 bad input, 3 infrastructure failure.
 */
@Command(
    name = "odoo-gitops",
    mixinStandardHelpOptions = true,
    scope = ScopeType.INHERIT,
    versionProvider = VersionProvider.class,
    description = "Release pipeline for Odoo module images, the GitOps way.",
    subcommands = {
        BuildCommand.class,
        DryRunCommand.class,
        GateCommand.class,
        VoteCommand.Approve.class,
        VoteCommand.Reject.class,
        FreezeCommand.class,
        PromoteCommand.class,
        RollbackCommand.class,
        HistoryCommand.class,
        FleetCommand.class,
        AuditCommand.class,
        VerifyCommand.class,
        RestorePointCommand.class,
        HoldCommand.class,
        io.odoogitops.cli.demo.DemoCommand.class,
        CommandLine.HelpCommand.class,
        AutoComplete.GenerateCompletion.class,
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:ok",
        "1:refused by policy, a gate, a freeze or a conflict",
        "2:bad input (flags, files, references)",
        "3:infrastructure failure (git server, registry, database, cluster)"})
public final class Main {

  public static final int REFUSED = 1;
  public static final int BAD_INPUT = 2;
  public static final int INFRASTRUCTURE = 3;

  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs one command line; returns the exit code instead of exiting, for tests and the demo. */
  public static int run(String... args) {
    return commandLine().execute(args);
  }

  public static CommandLine commandLine() {
    return commandLine(System.getenv());
  }

  /**
   * A command line whose promote and rollback decide at {@code clock} instead of the real time: for the demo, which
   * drives its calendar in-process. Deliberately no flag or environment variable: a CI job that could set one could
   * pick the time a freeze is judged at.
   */
  public static CommandLine commandLine(Clock clock) {
    return commandLine(System.getenv(), clock);
  }

  /**
   * A command line that reads its environment variables from {@code environment} instead of the process's, so that
   * a test's outcome does not depend on the variables of whoever runs it.
   */
  static CommandLine commandLine(Map<String, String> environment) {
    return commandLine(environment, Clock.systemUTC());
  }

  static CommandLine commandLine(Map<String, String> environment, Clock clock) {
    CommandLine cli = new CommandLine(new Main(), new EnvironmentFactory(environment, clock));
    cli.setExecutionExceptionHandler(new ErrorReporter(environment));
    cli.setParameterExceptionHandler(new UsageReporter());
    cli.setExecutionStrategy(Main::executeKnownCommands);
    withEnvironment(cli.getCommandSpec(), environment);
    return cli;
  }

  /** Hands the run's environment to every secret, however deep among mixins a command declares it. */
  private static void withEnvironment(CommandSpec spec, Map<String, String> environment) {
    if (spec.userObject() instanceof SecretOptions secret) {
      secret.environment(environment);
    }
    spec.mixins().values().forEach(mixin -> withEnvironment(mixin, environment));
    spec.subcommands().values().forEach(command -> withEnvironment(command.getCommandSpec(), environment));
  }

  /**
   * Runs the command line unless a word in it names no command. picocli skips that check when --help or --version
   * is given, so a mistyped command would print the usage of its parent and exit 0, as if it had worked; an unknown
   * option next to --help still gets the help.
   */
  private static int executeKnownCommands(ParseResult parsed) {
    for (ParseResult level = parsed; level != null; level = level.subcommand()) {
      List<String> words = level.unmatched().stream().filter(arg -> !arg.startsWith("-")).toList();
      if (!words.isEmpty()) {
        throw new UnmatchedArgumentException(level.commandSpec().commandLine(), words);
      }
    }
    return new CommandLine.RunLast().execute(parsed);
  }

  /** Creates commands and mixins through picocli's factory, handing the run's environment and clock to their users. */
  private record EnvironmentFactory(Map<String, String> environment, Clock clock) implements CommandLine.IFactory {
    @Override
    public <K> K create(Class<K> type) throws Exception {
      if (type == RepositoryOptions.class) {
        return type.cast(new RepositoryOptions(environment));
      }
      if (type == AuditOptions.class) {
        return type.cast(new AuditOptions(clock));
      }
      if (type == BuildCommand.class) {
        return type.cast(new BuildCommand(environment));
      }
      if (type == RestorePointCommand.Take.class) {
        return type.cast(new RestorePointCommand.Take(environment));
      }
      if (type == FleetRestorePointCommand.Take.class) {
        return type.cast(new FleetRestorePointCommand.Take(environment));
      }
      if (type == FleetDryRunCommand.class) {
        return type.cast(new FleetDryRunCommand(environment));
      }
      K created = CommandLine.defaultFactory().create(type);
      if (created instanceof VoteCommand vote) {
        vote.clock = clock;
      }
      return created;
    }
  }

  /** Prints failures as one clear message; a stack trace only when the user asked for one. */
  private record ErrorReporter(Map<String, String> environment) implements IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
      PrintWriter err = cmd.getErr();
      if (ex instanceof ReleaseException re) {
        err.println("error: " + re.getMessage());
        debug(ex, err);
        return re.exitCode();
      }
      err.println("error: unexpected " + ex.getClass().getSimpleName()
          + (ex.getMessage() == null ? "" : ": " + ex.getMessage())
          + "\n  this is a bug in odoo-gitops; rerun with ODOO_GITOPS_DEBUG=1 for details and report it");
      debug(ex, err);
      return INFRASTRUCTURE;
    }

    private void debug(Exception ex, PrintWriter err) {
      if ("1".equals(environment.get("ODOO_GITOPS_DEBUG"))) {
        ex.printStackTrace(err);
      }
    }
  }

  /** Bad flags are bad input: exit 2 with the usage of the command that was called. */
  static final class UsageReporter implements IParameterExceptionHandler {
    /** picocli's two wordings for flags of an exclusive group given together. */
    private static final Pattern SEVERAL_OF_EXCLUSIVE = Pattern.compile(
        "^expected only one match but got \\[(.+?)\\]=\\{.*|^(.+) are mutually exclusive \\(specify only one\\)$",
        Pattern.DOTALL);

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
      CommandLine cmd = ex.getCommandLine();
      cmd.getErr().println("error: " + message(ex));
      cmd.getErr().println("  see '" + cmd.getCommandSpec().qualifiedName() + " --help'");
      return BAD_INPUT;
    }

    private static String message(ParameterException ex) {
      if (ex.getCause() instanceof SecretOptions.OnTheCommandLine refused) {
        return refused.getMessage();
      }
      Optional<String> typed = ImageConverters.message(ex);
      if (typed.isPresent()) {
        return typed.get();
      }
      CommandLine cmd = ex.getCommandLine();
      if (ex instanceof UnmatchedArgumentException unmatched && !cmd.getSubcommands().isEmpty()
          && !unmatched.getUnmatched().isEmpty() && !unmatched.getUnmatched().get(0).startsWith("-")) {
        List<String> similar = unmatched.getSuggestions();
        return "unknown command '" + unmatched.getUnmatched().get(0) + "' for '"
            + cmd.getCommandSpec().qualifiedName() + "'" + (similar.isEmpty() ? "" : "; did you mean '"
            + similar.get(0) + "'?");
      }
      // picocli starts the messages of argument groups with its own "Error: "
      String text = ex.getMessage().replaceFirst("^Error: ", "");
      Matcher exclusive = SEVERAL_OF_EXCLUSIVE.matcher(text);
      if (exclusive.matches()) {
        // One wording repeats the values given, and a --server URL may hold a password: name the flags only.
        String choices = exclusive.group(1) != null ? exclusive.group(1) : exclusive.group(2).replace(" and ", " | ");
        return "give one of " + choices + ", not several: they are exclusive";
      }
      return text;
    }
  }
}
