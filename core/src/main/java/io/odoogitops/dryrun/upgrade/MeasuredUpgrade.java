package io.odoogitops.dryrun.upgrade;

import io.odoogitops.ReleaseException;
import io.odoogitops.dryrun.clone.PgSessions;
import io.odoogitops.dryrun.migrate.LockHold;
import io.odoogitops.dryrun.migrate.LockModes;
import io.odoogitops.dryrun.migrate.LockSampler;
import io.odoogitops.dryrun.migrate.LockSamples;
import io.odoogitops.dryrun.migrate.RelationFiles;
import io.odoogitops.dryrun.migrate.RelationLocks;
import io.odoogitops.dryrun.migrate.RowChange;
import io.odoogitops.dryrun.migrate.SchemaDiff;
import io.odoogitops.dryrun.migrate.SchemaSnapshot;
import io.odoogitops.dryrun.migrate.TableStats;
import io.odoogitops.dryrun.plan.MigrationScript;
import io.odoogitops.odoo.log.MigrationScriptRun;
import io.odoogitops.odoo.log.ModuleLoad;
import io.odoogitops.odoo.log.OdooUpgradeLog;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Runs any {@link OdooUpgradePhase} with the clone under observation: catalog, data files and write counters before
 * and after, and a {@link LockSampler} in between. The runner only runs Odoo; what it did to the database is
 * measured here, the same way for a local process, a container or a Kubernetes Job.
 */
public final class MeasuredUpgrade {

  /** How long the run's sessions may take to go away after the runner returned (a pod's may lag behind). */
  private static final Duration SESSIONS_GONE = Duration.ofSeconds(10);

  private final Duration sampleInterval;
  private final Consumer<String> progress;

  public MeasuredUpgrade(Duration sampleInterval, Consumer<String> progress) {
    this.sampleInterval = sampleInterval;
    this.progress = progress;
  }

  /**
   * @param announced per module, the migration scripts the upgrade plan expects Odoo to run; modules absent from it
   *     are not checked
   */
  public OdooUpgradeRun run(OdooUpgradePhase phase, OdooUpgradeTarget target,
      Map<String, List<MigrationScript>> announced) {
    try (Connection snapshots = PgSessions.readWrite(target.database());
         Connection monitor = PgSessions.readWrite(target.database())) {
      int ownPid = pid(snapshots);
      // Sessions closed just before (neutralization, Flyway) flush their counters when their backend exits:
      // wait for them, or their writes would count as the upgrade's.
      awaitOtherSessionsGone(snapshots, List.of(ownPid, pid(monitor)));
      SchemaSnapshot schemaBefore = SchemaSnapshot.read(snapshots);
      RelationFiles filesBefore = RelationFiles.read(snapshots);
      TableStats statsBefore = TableStats.read(snapshots);
      Map<String, Long> estimatedBefore = estimatedRows(snapshots);
      LockSampler sampler = LockSampler.start(monitor, sampleInterval, List.of(ownPid));
      OdooUpgradeRun run;
      LockSamples samples;
      try {
        run = phase.run(target);
      } finally {
        samples = sampler.stop();
      }
      String error = samples.error();
      if (!awaitOtherSessionsGone(snapshots, List.of(ownPid, pid(monitor)))) {
        error = join(error, "sessions of the run were still open " + SESSIONS_GONE.toSeconds()
            + " s after it ended, so its row counts may be incomplete; they were terminated");
        terminateOthers(snapshots, List.of(ownPid, pid(monitor)));
      }
      SchemaSnapshot schemaAfter = SchemaSnapshot.read(snapshots);
      RelationFiles filesAfter = RelationFiles.read(snapshots);
      Map<String, RowChange> rows = settledStats(snapshots).since(statsBefore);
      List<String> rewrittenTables = filesBefore.rewritten(filesAfter, "table");
      Set<String> counted = new LinkedHashSet<>(rows.keySet());
      counted.addAll(rewrittenTables);
      // an index's writer-blocking lock is its table's: the table's size is what production waits on
      samples.relations().stream().filter(r -> r.table() != null && LockModes.blocksWriters(r.strongestMode()))
          .map(RelationLocks::table).forEach(counted::add);
      Map<String, Long> tableRows = new TreeMap<>();
      for (String table : counted) {
        // production's table is the one before the run: one emptied (DELETE, TRUNCATE) or dropped under its lock
        // blocked production at its old size
        long size = estimatedBefore.getOrDefault(table, 0L);
        if (schemaAfter.table(table).isPresent()) {
          long after = TableStats.rowCount(snapshots, table);
          RowChange change = rows.get(table);
          long before = change == null ? after : after - change.inserted() + change.deleted();
          size = Math.max(size, Math.max(after, before));
        }
        if (size > 0 || schemaAfter.table(table).isPresent()) {
          tableRows.put(table, size);
        }
      }
      OdooUpgradeLog log = run.log();
      List<ModuleMeasurement> modules = log == null ? List.of()
          : attribute(log.modules(), samples.holds(), rewrittenTables, rows);
      UpgradeMeasurement measurement = new UpgradeMeasurement(samples.relations(), rewrittenTables,
          filesBefore.rewritten(filesAfter, "index"), SchemaDiff.between(schemaBefore, schemaAfter), rows, tableRows,
          modules, log == null || run.skipped() ? List.of() : scriptFindings(log, announced), samples.backends(),
          samples.samples(), sampleInterval.toMillis(), samples.queryTime().toMillis(), error);
      progress.accept("measured odoo -u: " + samples.samples() + " lock samples, " + rewrittenTables.size()
          + " table(s) rewritten, rows changed in " + rows.size() + " table(s)");
      return run.withMeasurement(measurement);
    } catch (SQLException e) {
      throw ReleaseException.infrastructure("lost the measuring session on clone " + target.database().database()
          + ": " + e.getMessage(), e);
    }
  }

  /** Attributes each hold, rewrite and table's writes to the module whose logged time span overlaps it most. */
  static List<ModuleMeasurement> attribute(List<ModuleLoad> loads, List<LockHold> holds, List<String> rewritten,
      Map<String, RowChange> rows) {
    Map<LockHold, ModuleLoad> owner = new HashMap<>();
    for (LockHold hold : holds) {
      ModuleLoad best = null;
      Duration bestOverlap = Duration.ZERO;
      for (ModuleLoad load : loads) {
        Duration overlap = overlap(hold, load.startedAt(), load.finishedAt());
        if (overlap.compareTo(bestOverlap) > 0) {
          best = load;
          bestOverlap = overlap;
        }
      }
      if (best != null) {
        owner.put(hold, best);
      }
    }
    Map<String, ModuleLoad> rewriter = new HashMap<>();
    for (String table : rewritten) {
      dominant(owner, table, LockModes.ACCESS_EXCLUSIVE).ifPresent(m -> rewriter.put(table, m));
    }
    Map<String, ModuleLoad> writer = new HashMap<>();
    for (String table : rows.keySet()) {
      dominant(owner, table, LockModes.ROW_EXCLUSIVE).ifPresent(m -> writer.put(table, m));
    }
    List<ModuleMeasurement> modules = new ArrayList<>();
    for (ModuleLoad load : loads) {
      List<LockHold> own = holds.stream().filter(h -> owner.get(h) == load).toList();
      LockHold strongest = own.stream().filter(h -> "table".equals(h.kind()))
          .max(Comparator.comparingInt((LockHold h) -> LockModes.strength(h.mode()))
              .thenComparing(LockHold::duration)).orElse(null);
      Map<String, RowChange> written = new TreeMap<>();
      writer.forEach((table, module) -> {
        if (module == load) {
          written.put(table, rows.get(table));
        }
      });
      modules.add(new ModuleMeasurement(load.module(), load.duration().toMillis(), load.queries(),
          load.scripts().stream().map(s -> s.stage() + " " + s.version() + " " + s.script()).toList(), strongest,
          own.stream().filter(h -> LockModes.blocksWriters(h.mode())).toList(),
          rewritten.stream().filter(t -> rewriter.get(t) == load).toList(), written));
    }
    return modules;
  }

  /** The module that held at least {@code mode} on {@code table} the longest. */
  private static Optional<ModuleLoad> dominant(Map<LockHold, ModuleLoad> owner, String table, String mode) {
    Map<ModuleLoad, Duration> held = new HashMap<>();
    owner.forEach((hold, module) -> {
      if (hold.relation().equals(table) && LockModes.atLeast(hold.mode(), mode)) {
        held.merge(module, hold.duration(), Duration::plus);
      }
    });
    return held.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey);
  }

  private static Duration overlap(LockHold hold, Instant from, Instant to) {
    Instant start = hold.start().isAfter(from) ? hold.start() : from;
    Instant end = hold.end().isBefore(to) ? hold.end() : to;
    return end.isAfter(start) ? Duration.between(start, end) : Duration.ZERO;
  }

  /**
   * Scripts the plan announced that Odoo did not run, and scripts Odoo ran that the plan did not announce: either
   * way the plan reviewed is not what production will run.
   */
  static List<String> scriptFindings(OdooUpgradeLog log, Map<String, List<MigrationScript>> announced) {
    Set<String> expected = new LinkedHashSet<>();
    announced.forEach((module, scripts) -> scripts.forEach(s -> expected.add(key(module, s.stage(), s.folder(),
        baseName(s.file())))));
    Set<String> ran = new LinkedHashSet<>();
    for (MigrationScriptRun s : log.scripts()) {
      ran.add(key(s.module(), s.stage(), s.version(), s.script()));
    }
    List<String> findings = new ArrayList<>();
    expected.stream().filter(k -> !ran.contains(k))
        .forEach(k -> findings.add("announced by the plan but not run by odoo -u: " + k));
    ran.stream().filter(k -> !expected.contains(k) && announced.containsKey(k.substring(0, k.indexOf(' '))))
        .forEach(k -> findings.add("run by odoo -u but not announced by the plan: " + k));
    return findings;
  }

  private static String key(String module, String stage, String version, String script) {
    return module + " " + stage + " " + version + " " + script;
  }

  private static String baseName(String file) {
    String name = file.substring(file.lastIndexOf('/') + 1);
    return name.endsWith(".py") ? name.substring(0, name.length() - 3) : name;
  }

  /**
   * The counters once every session of the run flushed them. From PostgreSQL 15 on a backend writes its counters to
   * shared memory before it leaves {@code pg_stat_activity}, so one fresh read is complete; before 15 they travel to
   * the statistics collector by UDP and reach readers up to half a second later, so read until two reads agree.
   */
  private static TableStats settledStats(Connection c) throws SQLException {
    TableStats stats = TableStats.read(c);
    if (PgSessions.serverMajor(c) >= 15) {
      return stats;
    }
    for (int i = 0; i < 10; i++) {
      try {
        Thread.sleep(600);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw ReleaseException.infrastructure("interrupted while waiting for odoo -u's statistics", e);
      }
      TableStats again = TableStats.read(c);
      if (again.equals(stats)) {
        return again;
      }
      stats = again;
    }
    return stats;
  }

  /**
   * The planner's row estimate of every table before the run ({@code reltuples}, as the last ANALYZE or VACUUM left
   * it, copied with the clone): the only trace of a table's size a TRUNCATE leaves, since it counts no deleted row.
   */
  private static Map<String, Long> estimatedRows(Connection c) throws SQLException {
    Map<String, Long> rows = new HashMap<>();
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT CASE WHEN n.nspname = 'public'"
        + " THEN c.relname ELSE n.nspname || '.' || c.relname END, c.reltuples::int8 FROM pg_class c"
        + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p', 'm') AND c.reltuples > 0"
        + " AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'")) {
      while (rs.next()) {
        rows.put(rs.getString(1), rs.getLong(2));
      }
    }
    return rows;
  }

  private static int pid(Connection c) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  /** Whether every other client session on the clone ended within {@link #SESSIONS_GONE}. */
  private static boolean awaitOtherSessionsGone(Connection c, List<Integer> own) throws SQLException {
    long deadline = System.nanoTime() + SESSIONS_GONE.toNanos();
    try (PreparedStatement st = c.prepareStatement("SELECT count(*) FROM pg_stat_activity"
        + " WHERE datname = current_database() AND backend_type = 'client backend' AND pid <> ALL (?)")) {
      st.setArray(1, c.createArrayOf("int4", own.toArray()));
      while (true) {
        try (ResultSet rs = st.executeQuery()) {
          rs.next();
          if (rs.getLong(1) == 0) {
            return true;
          }
        }
        if (System.nanoTime() > deadline) {
          return false;
        }
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw ReleaseException.infrastructure("interrupted while waiting for odoo -u's sessions to end", e);
        }
      }
    }
  }

  private static void terminateOthers(Connection c, List<Integer> own) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
        + " WHERE datname = current_database() AND backend_type = 'client backend' AND pid <> ALL (?)")) {
      st.setArray(1, c.createArrayOf("int4", own.toArray()));
      st.execute();
    }
  }

  private static String join(String a, String b) {
    return a == null ? b : a + "; " + b;
  }
}
