package io.odoogitops.dryrun.migrate;

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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Samples, on its own thread and connection, the relation locks every other backend on the database holds. Locks
 * of a backend in another process (Odoo, a container, a pod) cannot be read at its commit as Flyway's can; sampling
 * is the only way to see them, and how long they were held.
 *
 * <p>The sampling queries read only {@code pg_locks}, the catalog and (every tenth sample, to see idle sessions too)
 * {@code pg_stat_activity}: they never take a lock a migration could wait for. Relations created by a transaction
 * still running are invisible to them (and to anyone else, so nobody can be waiting for them); they are left out.
 */
public final class LockSampler implements AutoCloseable {

  /** Longer than this and a hold of a few hundred milliseconds would go unseen. */
  public static final Duration MAX_INTERVAL = Duration.ofMillis(200);
  public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(100);

  /** Relation locks only: {@code pg_locks} is a copy of the lock table, cheap; {@code pg_stat_activity} is not. */
  private static final String SAMPLE = "SELECT l.pid, l.mode, l.relation::int8,"
      + " CASE WHEN n.nspname = 'public' THEN c.relname ELSE n.nspname || '.' || c.relname END,"
      + " CASE WHEN c.relkind IN ('i', 'I') THEN 'index' ELSE 'table' END,"
      + " (" + HeldLock.tableOid("c") + ")::int8," + HeldLock.tableOf("c")
      + " FROM pg_locks l"
      + " LEFT JOIN pg_class c ON c.oid = l.relation AND c.relkind IN ('r', 'p', 'm', 'i', 'I')"
      + " LEFT JOIN pg_namespace n ON n.oid = c.relnamespace"
      + " AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%'"
      + " WHERE l.locktype = 'relation' AND l.granted"
      + " AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"
      + " AND l.pid <> pg_backend_pid() AND l.pid <> ALL (?)";
  /** The run's sessions, idle ones included: whether it connected at all. Every {@link #SESSIONS_EVERY} samples. */
  private static final String SESSIONS = "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
      + " AND pid <> pg_backend_pid() AND backend_type = 'client backend' AND pid <> ALL (?)";
  private static final int SESSIONS_EVERY = 10;
  /** Each sampled relation's name once the run is over: renamed meanwhile, it is judged under its final name. */
  private static final String NAMES = "SELECT c.oid,"
      + " CASE WHEN n.nspname = 'public' THEN c.relname ELSE n.nspname || '.' || c.relname END"
      + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid::int8 = ANY (?)";

  private final Connection connection;
  private final Duration interval;
  private final Integer[] ignoredPids;
  private final Thread thread;
  private final Instant base = Instant.now();
  private final long baseNanos = System.nanoTime();
  private volatile boolean running = true;

  // confined to the sampling thread until stop() joined it
  private final Map<Key, Open> open = new HashMap<>();
  private final List<LockHold> holds = new ArrayList<>();
  private final List<Closed> closed = new ArrayList<>();
  /** Per relation OID, its kind and the last name it was seen under; {@link #stop()} renames to the final name. */
  private final Map<Long, String> kinds = new HashMap<>();
  private final Map<Long, String> names = new HashMap<>();
  /** Per relation OID, the OID of the table a lock on it blocks: itself, or an index's table. */
  private final Map<Long, Long> tables = new HashMap<>();
  private final Map<Long, String> strongest = new HashMap<>();
  private final Set<Integer> backends = new HashSet<>();
  private long lastSampleNanos;
  private long queryNanos;
  private int samples;
  private String error;
  private LockSamples result;

  /**
   * By OID, not name: a table renamed (and committed) before a long hold and renamed back after would otherwise be
   * held under a name that is no table afterwards, whose size is unknown, and escape the large-table rule.
   */
  private record Key(long oid, String mode) {
  }

  private record Closed(Key key, long startNanos, long endNanos) {
  }

  private static final class Open {
    final long firstNanos;
    final long beforeNanos;
    long lastNanos;

    Open(long beforeNanos, long firstNanos) {
      this.beforeNanos = beforeNanos;
      this.firstNanos = firstNanos;
      this.lastNanos = firstNanos;
    }
  }

  private LockSampler(Connection connection, Duration interval, List<Integer> ignoredPids) {
    this.connection = connection;
    this.interval = interval;
    this.ignoredPids = ignoredPids.toArray(Integer[]::new);
    this.lastSampleNanos = baseNanos;
    this.thread = new Thread(this::loop, "dry-run-lock-sampler");
    thread.setDaemon(true);
  }

  /**
   * Starts sampling on {@code monitor}, a session on the database to watch that nothing else uses; the caller
   * closes it after {@link #stop()}.
   *
   * @param ignoredPids the caller's other sessions on the database, which are not the run's
   */
  public static LockSampler start(Connection monitor, Duration interval, List<Integer> ignoredPids) {
    if (interval.isNegative() || interval.isZero() || interval.compareTo(MAX_INTERVAL) > 0) {
      throw new IllegalArgumentException("lock sample interval must be within (0, 200 ms], was " + interval);
    }
    LockSampler sampler = new LockSampler(monitor, interval, ignoredPids);
    sampler.thread.start();
    return sampler;
  }

  private void loop() {
    long next = System.nanoTime();
    try (Statement set = connection.createStatement();
         PreparedStatement st = connection.prepareStatement(SAMPLE);
         PreparedStatement sessions = connection.prepareStatement(SESSIONS)) {
      set.execute("SET statement_timeout = '5s'");
      st.setArray(1, connection.createArrayOf("int4", ignoredPids));
      sessions.setArray(1, connection.createArrayOf("int4", ignoredPids));
      while (running) {
        if (samples % SESSIONS_EVERY == 0) {
          sessions(sessions);
        }
        sample(st);
        next += interval.toNanos();
        long wait = next - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        } else {
          // a slow sample: start the schedule again from now rather than firing a burst to catch up
          next = System.nanoTime();
        }
      }
      // one last look, so a lock released between the last sample and the stop is closed where it was last seen
      sample(st);
      sessions(sessions);
    } catch (SQLException e) {
      error = "lock sampling stopped: " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      error = "lock sampling interrupted";
    }
  }

  private void sessions(PreparedStatement st) throws SQLException {
    long t0 = System.nanoTime();
    try (ResultSet rs = st.executeQuery()) {
      while (rs.next()) {
        backends.add(rs.getInt(1));
      }
    }
    queryNanos += System.nanoTime() - t0;
  }

  private void sample(PreparedStatement st) throws SQLException {
    long t0 = System.nanoTime();
    Map<Key, String> seen = new LinkedHashMap<>();
    try (ResultSet rs = st.executeQuery()) {
      while (rs.next()) {
        backends.add(rs.getInt(1));
        String mode = rs.getString(2);
        long oid = rs.getLong(3);
        String relation = rs.getString(4);
        if (mode != null && relation != null) {
          seen.put(new Key(oid, mode), rs.getString(5));
          names.put(oid, relation);
          long table = rs.getLong(6);
          String tableName = rs.getString(7);
          if (tableName != null) {
            tables.put(oid, table);
            names.put(table, tableName);
          }
        }
      }
    }
    long t1 = System.nanoTime();
    queryNanos += t1 - t0;
    samples++;
    // the snapshot of pg_locks is taken somewhere within the query; its middle is the best estimate
    long at = t0 + (t1 - t0) / 2;
    for (var entry : seen.entrySet()) {
      Key key = entry.getKey();
      kinds.putIfAbsent(key.oid(), entry.getValue());
      strongest.merge(key.oid(), key.mode(), LockModes::stronger);
      Open hold = open.get(key);
      if (hold == null) {
        open.put(key, new Open(lastSampleNanos, at));
      } else {
        hold.lastNanos = at;
      }
    }
    for (var it = open.entrySet().iterator(); it.hasNext(); ) {
      var entry = it.next();
      if (!seen.containsKey(entry.getKey())) {
        close(entry.getKey(), entry.getValue(), at);
        it.remove();
      }
    }
    lastSampleNanos = at;
  }

  private void close(Key key, Open hold, long firstAbsentNanos) {
    long start = hold.firstNanos - (hold.firstNanos - hold.beforeNanos) / 2;
    long end = hold.lastNanos + (firstAbsentNanos - hold.lastNanos) / 2;
    closed.add(new Closed(key, start, end));
  }

  private Instant instant(long nanos) {
    return base.plusNanos(nanos - baseNanos);
  }

  /** Stops sampling and returns what was seen; holds still open are closed at the last sample. */
  public synchronized LockSamples stop() {
    if (result != null) {
      return result;
    }
    running = false;
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      // a sampling query stuck beyond its statement timeout: report what was seen rather than wait forever
      thread.interrupt();
      error = error == null ? "lock sampling did not stop in time" : error;
      result = new LockSamples(List.of(), List.of(), 0, samples, interval, Duration.ofNanos(queryNanos), error);
      return result;
    }
    for (var entry : open.entrySet()) {
      close(entry.getKey(), entry.getValue(), entry.getValue().lastNanos);
    }
    open.clear();
    finalNames();
    for (Closed c : closed) {
      holds.add(new LockHold(names.get(c.key().oid()), kinds.get(c.key().oid()), c.key().mode(),
          instant(c.startNanos()), instant(c.endNanos()), tableName(c.key().oid())));
    }
    Map<String, String> strongestByName = new TreeMap<>();
    Map<String, String> kindByName = new HashMap<>();
    Map<String, String> tableByName = new HashMap<>();
    strongest.forEach((oid, mode) -> {
      strongestByName.merge(names.get(oid), mode, LockModes::stronger);
      kindByName.putIfAbsent(names.get(oid), kinds.get(oid));
      String table = tableName(oid);
      if (table != null) {
        tableByName.putIfAbsent(names.get(oid), table);
      }
    });
    List<RelationLocks> relations = new ArrayList<>();
    strongestByName.forEach((relation, mode) -> {
      Map<String, LockHold> longest = new TreeMap<>(Comparator.comparingInt(LockModes::strength).reversed());
      holds.stream()
          .filter(h -> h.relation().equals(relation) && LockModes.blocksWriters(h.mode()))
          .forEach(h -> longest.merge(h.mode(), h, (a, b) -> b.duration().compareTo(a.duration()) > 0 ? b : a));
      relations.add(new RelationLocks(relation, kindByName.get(relation), mode, List.copyOf(longest.values()),
          tableByName.get(relation)));
    });
    result = new LockSamples(relations, holds, backends.size(), samples, interval, Duration.ofNanos(queryNanos),
        error);
    return result;
  }

  private String tableName(long oid) {
    Long table = tables.get(oid);
    return table == null ? null : names.get(table);
  }

  /** Renames each relation still there to its name now; a dropped one keeps the last name it was seen under. */
  private void finalNames() {
    if (names.isEmpty() || error != null) {
      return;
    }
    try (PreparedStatement st = connection.prepareStatement(NAMES)) {
      st.setArray(1, connection.createArrayOf("int8", names.keySet().toArray(Long[]::new)));
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          names.put(rs.getLong(1), rs.getString(2));
        }
      }
    } catch (SQLException e) {
      error = "lock sampling could not read the final names of the locked relations: " + e.getMessage();
    }
  }

  @Override
  public void close() {
    stop();
  }
}
