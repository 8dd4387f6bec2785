package io.odoogitops.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import picocli.CommandLine;

/**
 * One in-process run of the CLI with its exit code and both output streams. The run sees only the environment
 * variables it is given, none of the caller's: a test's outcome must not depend on who runs it.
 */
record CliRun(int exitCode, String out, String err) {

  static CliRun of(String... args) {
    return of(Map.of(), args);
  }

  static CliRun of(Map<String, String> environment, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine(environment);
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new CliRun(code, out.toString(), err.toString());
  }
}
