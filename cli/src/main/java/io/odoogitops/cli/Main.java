package io.odoogitops.cli;

import io.odoogitops.ReleaseException;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Entry point of the {@code odoo-gitops} command. Exit codes are part of the interface (documented in README and
 * docs/cli.md): 0 ok, 1 refused by policy or conflict, 2 bad input, 3 infrastructure failure.
 */
@Command(
    name = "odoo-gitops",
    mixinStandardHelpOptions = true,
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
        io.odoogitops.cli.demo.DemoCommand.class,
        CommandLine.HelpCommand.class,
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
    withHelpOptions(cli);
    cli.setExecutionExceptionHandler(new ErrorReporter(environment));
    cli.setParameterExceptionHandler(new UsageReporter());
    return cli;
  }

  /** Every command and subcommand answers --help and --version, whoever wrote it. */
  private static void withHelpOptions(CommandLine cli) {
    if (!cli.getCommandSpec().mixinStandardHelpOptions() && !(cli.getCommand() instanceof CommandLine.HelpCommand)) {
      cli.getCommandSpec().mixinStandardHelpOptions(true);
    }
    cli.getSubcommands().values().forEach(Main::withHelpOptions);
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
      if (type == RestorePointCommand.Take.class) {
        return type.cast(new RestorePointCommand.Take(environment));
      }
      if (type == SigningOptions.class) {
        return type.cast(new SigningOptions(environment));
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
    @Override
    public int handleParseException(ParameterException ex, String[] args) {
      CommandLine cmd = ex.getCommandLine();
      cmd.getErr().println("error: " + ex.getMessage());
      cmd.getErr().println("  see '" + cmd.getCommandSpec().qualifiedName() + " --help'");
      return BAD_INPUT;
    }
  }
}
