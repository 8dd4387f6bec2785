package io.odoogitops.restore.backup;

import io.odoogitops.ReleaseException;
import io.odoogitops.config.RestoreSpec;
import io.odoogitops.dryrun.clone.PgClientTools;
import io.odoogitops.dryrun.clone.PgEndpoint;
import io.odoogitops.dryrun.clone.PgSessions;
import io.odoogitops.restore.RestorePoint;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * A restore point as {@code pg_dump -Fd -j N} of the production database into {@code <location>/<id>/}: written under
 * a temporary name, listed with {@code pg_restore -l} and checked to hold the data of every user table, and only then
 * renamed to its final name.
 */
final class LogicalDumps {

  /** Tables whose rows pg_dump writes: ordinary tables outside the system schemas, not owned by an extension. */
  private static final String USER_TABLES = """
      SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
        AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'
        AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                        AND d.deptype = 'e')""";

  private final Optional<Path> binDir;
  private final Clock clock;
  private final Consumer<String> progress;

  LogicalDumps(Optional<Path> binDir, Clock clock, Consumer<String> progress) {
    this.binDir = binDir;
    this.clock = clock;
    this.progress = progress;
  }

  /** The dump and the moment its data was fixed. */
  record Taken(RestorePoint.DumpDirectory directory, Instant takenAt) {}

  /** @param leftovers names of earlier runs' temporary directories of the same environment and application */
  Taken take(RestoreSpec.Dump spec, PgEndpoint source, String id, Pattern leftovers) {
    Path location = Path.of(spec.location());
    PartialDirectory.sweep(location, leftovers, spec.timeout(), clock.instant());
    try (PartialDirectory partial = PartialDirectory.create(location, id, "the dump location")) {
      int major;
      int userTables;
      try (Connection c = PgSessions.readOnly(source); Statement st = c.createStatement()) {
        major = PgSessions.serverMajor(c);
        try (ResultSet rs = st.executeQuery(USER_TABLES)) {
          rs.next();
          userTables = rs.getInt(1);
        }
      } catch (SQLException e) {
        throw ReleaseException.infrastructure("cannot read the catalog of " + source.describe() + ": "
            + firstLine(e.getMessage()), e);
      }
      PgClientTools tools = PgClientTools.locate(binDir, major);
      // pg_dump's snapshot is taken after this instant: data committed later is not in the dump, so the point's
      // time errs on the side of a longer loss window, never a shorter one.
      Instant takenAt = clock.instant();
      progress.accept("pg_dump -Fd -j " + spec.jobs() + " of " + source.describe() + " into " + partial.target());
      long started = System.nanoTime();
      PgTool.requireSuccess(PgTool.run(tools.pgDump(), List.of("--format=directory", "--jobs=" + spec.jobs(),
          "--no-password", "--file=" + partial.path(), "--host=" + source.host(), "--port=" + source.port(),
          "--username=" + source.user(), "--dbname=" + source.database()), source, spec.timeout(),
          "dump " + source.describe()), tools.pgDump(), "dump " + source.describe());
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      PgTool.Result listing = PgTool.requireSuccess(PgTool.run(tools.pgRestore(), List.of("--list",
          partial.path().toString()), null, Duration.ofMinutes(10), "list the dump"), tools.pgRestore(),
          "list the dump " + partial.path() + " (it is unreadable and was discarded)");
      int entries = 0;
      int tableData = 0;
      for (String line : listing.output().lines().toList()) {
        if (line.isBlank() || line.startsWith(";")) {
          continue;
        }
        entries++;
        if (line.contains(" TABLE DATA ")) {
          tableData++;
        }
      }
      if (tableData < userTables) {
        throw ReleaseException.infrastructure("the dump of " + source.describe() + " is incomplete: the database has "
            + userTables + " tables but the dump's table of contents lists the data of " + tableData
            + "; it was discarded, nothing was kept under the final name", null);
      }
      long bytes = PartialDirectory.size(partial.path());
      Path done = partial.commit();
      progress.accept("dump complete in " + took.toSeconds() + " s: " + entries + " entries, " + tableData
          + " tables with data, " + bytes + " bytes in " + done);
      return new Taken(new RestorePoint.DumpDirectory(done.toAbsolutePath().toString(), source.describe(),
          source.database(), spec.jobs(), major, tools.version(), entries, tableData, bytes), takenAt);
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "no detail";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
