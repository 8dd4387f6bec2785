package io.odoogitops.restore.backup;

import io.odoogitops.ReleaseException;
import io.odoogitops.dryrun.clone.PgEndpoint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one PostgreSQL client tool. The password reaches it only as {@code PGPASSWORD} in its own environment, never
 * in argv (which every user of the machine can read in the process list) nor in any message. Sessions are read only
 * at the server ({@code PGOPTIONS}), so even a wrong argument cannot write to production. A run that outlives its
 * timeout is killed with every process it started ({@code pg_dump -j} forks workers).
 */
final class PgTool {

  private static final String APPLICATION = "odoo-gitops restore-point";

  private PgTool() {}

  /** What a finished run said: its exit code and its output (stdout and stderr together). */
  record Result(int exit, String output) {
    /** The last lines, for an error message. */
    String tail() {
      List<String> lines = output.lines().toList();
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 12), lines.size()));
    }
  }

  static Result run(Path tool, List<String> args, PgEndpoint endpoint, Duration timeout, String what) {
    List<String> command = new ArrayList<>();
    command.add(tool.toString());
    command.addAll(args);
    Path log = null;
    Process process = null;
    try {
      // output goes to a file, not a pipe: a pipe nobody reads while we wait would block a chatty tool
      log = Files.createTempFile("odoo-gitops-" + tool.getFileName(), ".log");
      ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
      Map<String, String> env = pb.environment();
      env.remove("PGPASSWORD");
      if (endpoint != null && endpoint.password() != null) {
        env.put("PGPASSWORD", endpoint.password());
      }
      env.put("PGAPPNAME", APPLICATION);
      env.put("PGCONNECT_TIMEOUT", "15");
      env.put("PGOPTIONS", "-c default_transaction_read_only=on");
      process = pb.start();
      process.getOutputStream().close();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        kill(process);
        throw ReleaseException.infrastructure("could not " + what + ": " + tool.getFileName() + " did not finish"
            + " within " + timeout + " and was stopped; raise the timeout in odoo-gitops.yaml or check the server's"
            + " load", null);
      }
      return new Result(process.exitValue(), readLog(log));
    } catch (IOException e) {
      throw ReleaseException.infrastructure("cannot run " + tool + " (" + e.getClass().getSimpleName() + ")", e);
    } catch (InterruptedException e) {
      kill(process);
      Thread.currentThread().interrupt();
      throw ReleaseException.infrastructure("interrupted while trying to " + what, e);
    } finally {
      if (log != null) {
        try {
          Files.deleteIfExists(log);
        } catch (IOException ignored) {
          // a log in the temporary directory holds no secret
        }
      }
    }
  }

  /** Fails with the tool's last lines and a hint when it exited non-zero. */
  static Result requireSuccess(Result result, Path tool, String what) {
    if (result.exit() != 0) {
      throw ReleaseException.infrastructure("could not " + what + ": " + tool.getFileName() + " exited with "
          + result.exit() + ":\n" + result.tail() + hint(result.output()), null);
    }
    return result;
  }

  private static String hint(String output) {
    if (output.contains("No space left on device") || output.contains("could not write")) {
      return "\n  the disk is full: free space in the dump location (nothing was kept under the final name)";
    }
    if (output.contains("server version mismatch")) {
      return "\n  the client tools are older than the server: install a newer postgresql-client";
    }
    if (output.contains("password authentication failed") || output.contains("no password supplied")) {
      return "\n  check the user and the password variable or file (restore.dump.database)";
    }
    return "";
  }

  private static void kill(Process process) {
    if (process == null) {
      return;
    }
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String readLog(Path log) throws IOException {
    // bounded: a tool's output is for the tail of an error message and for counting TOC lines
    byte[] bytes;
    try (var in = Files.newInputStream(log)) {
      bytes = in.readNBytes(64 * 1024 * 1024);
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
