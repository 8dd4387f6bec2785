package io.odoogitops.dryrun.clone;

import io.odoogitops.ReleaseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Copies one database into another with the PostgreSQL client tools: {@code pg_dump -Fd -j N} (directory format is
 * the one that dumps in parallel) then {@code pg_restore -j N}. Passwords go through {@code PGPASSWORD} in the child's
 * environment, never argv, which any user of the machine can read in the process list.
 */
public final class DumpRestore {

  private final Optional<Path> binDir;
  private final int jobs;
  private final Path workDir;

  public DumpRestore(Optional<Path> binDir, int jobs, Path workDir) {
    if (jobs < 1) {
      throw ReleaseException.badInput("--jobs must be at least 1, got " + jobs);
    }
    this.binDir = binDir;
    this.jobs = jobs;
    this.workDir = workDir;
  }

  /** Tools able to dump {@code source}; fails with the remedy when the source is newer than every client found. */
  public PgClientTools toolsFor(PgEndpoint source) {
    try (Connection c = PgSessions.readOnly(source)) {
      return PgClientTools.locate(binDir, PgSessions.serverMajor(c));
    } catch (SQLException e) {
      throw ReleaseException.infrastructure("cannot read the version of the source " + source.describe(), e);
    }
  }

  /** The major version of the source server, e.g. 15. */
  public int sourceMajor(PgEndpoint source) {
    try (Connection c = PgSessions.readOnly(source)) {
      return PgSessions.serverMajor(c);
    } catch (SQLException e) {
      throw ReleaseException.infrastructure("cannot read the version of the source " + source.describe(), e);
    }
  }

  /**
   * A dump restores into the same or a newer major version only: an older server lacks the catalog and syntax the
   * dump uses, and would fail halfway through a long restore. Checked before anything is created.
   */
  public static void requireRestorable(int sourceMajor, int targetMajor, String target) {
    if (targetMajor < sourceMajor) {
      throw ReleaseException.badInput("the source is PostgreSQL " + sourceMajor + " but " + target + " is PostgreSQL "
          + targetMajor + "; a dump only restores into the same or a newer major version: use a staging server of"
          + " version " + sourceMajor + " or later");
    }
  }

  /** Dumps {@code source} and restores it into the existing, empty database {@code target}. */
  public void copy(PgEndpoint source, PgEndpoint target, String label) {
    PgClientTools tools = toolsFor(source);
    Path dumpDir = workDir.resolve(label + ".dump");
    try {
      Files.createDirectories(workDir);
      // uncompressed: the dump lives seconds on a local disk, and gzip would cost more CPU than the disk saves
      run(tools.pgDump(), List.of("--format=directory", "--jobs=" + jobs, "--compress=0", "--no-owner",
          "--no-privileges",
          "--file=" + dumpDir, "--host=" + source.host(), "--port=" + source.port(),
          "--username=" + source.user(), "--dbname=" + source.database()),
          source, true, "dump the source " + source.describe());
      run(tools.pgRestore(), List.of("--jobs=" + jobs, "--no-owner", "--no-privileges", "--exit-on-error",
          "--host=" + target.host(), "--port=" + target.port(), "--username=" + target.user(),
          "--dbname=" + target.database(), dumpDir.toString()),
          target, false, "restore into the clone " + target.database());
    } catch (IOException e) {
      throw ReleaseException.infrastructure("cannot prepare the dump directory " + dumpDir + ": " + e.getMessage(), e);
    } finally {
      deleteTree(dumpDir);
    }
  }

  private static void run(Path tool, List<String> args, PgEndpoint endpoint, boolean readOnly, String what) {
    List<String> command = new ArrayList<>();
    command.add(tool.toString());
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.remove("PGPASSWORD");
    if (endpoint.password() != null) {
      env.put("PGPASSWORD", endpoint.password());
    }
    env.put("PGAPPNAME", "odoo-gitops dry-run");
    env.put("PGCONNECT_TIMEOUT", "15");
    if (readOnly) {
      // belt and braces: pg_dump only reads, but the server itself must refuse writes from these sessions
      env.put("PGOPTIONS", "-c default_transaction_read_only=on");
    } else {
      env.remove("PGOPTIONS");
    }
    try {
      Process process = pb.start();
      process.getOutputStream().close();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int exit = process.waitFor();
      if (exit != 0) {
        throw ReleaseException.infrastructure("could not " + what + ": " + tool.getFileName() + " exited with "
            + exit + ":\n" + tail(output) + hint(output), null);
      }
    } catch (IOException e) {
      throw ReleaseException.infrastructure("cannot run " + tool + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ReleaseException.infrastructure("interrupted while trying to " + what, e);
    }
  }

  private static String hint(String output) {
    if (output.contains("No space left on device") || output.contains("could not extend file")) {
      return "\n  the disk is full: free space on the staging server or the dump directory and rerun";
    }
    if (output.contains("server version mismatch")) {
      return "\n  the client tools are older than the server: pass --pg-bin-dir with a newer client";
    }
    if (output.contains("password authentication failed")) {
      return "\n  check the user and the password variable or file";
    }
    return "";
  }

  private static String tail(String output) {
    List<String> lines = output.lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 12), lines.size()));
  }

  /** Deletes a directory tree without following links (a link inside is removed, never what it points at). */
  public static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException ignored) {
          // a leftover file in the work directory is swept by the next run
        }
      });
    } catch (IOException ignored) {
      // same as above
    }
  }
}
