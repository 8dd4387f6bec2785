package io.odoogitops.dryrun.migrate;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A lock the migration's own backend held on a relation at the end of its transaction. Locks are kept until commit,
 * so reading {@code pg_locks} for {@code pg_backend_pid()} just before the commit shows every lock the migration
 * took; the strongest mode per relation is what production would have waited for and made others wait for.
 *
 * @param kind {@code table} or {@code index}
 * @param table the relation itself, or an index's table ({@code pg_index.indrelid}): a lock on an index keeps its
 *     table from production; {@code null} when unknown
 */
public record HeldLock(String relation, String kind, String mode, String table) {

  public static final String ACCESS_EXCLUSIVE = LockModes.ACCESS_EXCLUSIVE;

  /** A lock on a table, or on an index whose table is unknown. */
  public HeldLock(String relation, String kind, String mode) {
    this(relation, kind, mode, "table".equals(kind) ? relation : null);
  }

  public boolean accessExclusive() {
    return ACCESS_EXCLUSIVE.equals(mode);
  }

  /** SHARE or stronger: every INSERT, UPDATE and DELETE of {@link #table()} waits while it is held. */
  public boolean blocksWriters() {
    return LockModes.blocksWriters(mode);
  }

  /**
   * The strongest relation lock per user table or index held by this session, ignoring {@code ignoredTables} and
   * relations absent from {@code existedBefore} (OIDs): an index the transaction is building is invisible to every other session until its commit, so its ACCESS
   * EXCLUSIVE blocks nobody; only the SHARE on the table does.
   *
   * @param existedBefore the relations before the transaction began ({@link #relationOids}), {@code null} for all
   */
  public static List<HeldLock> ofOwnBackend(Connection c, List<String> ignoredTables, java.util.Set<Long> existedBefore)
      throws SQLException {
    List<HeldLock> locks = new ArrayList<>();
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
        "SELECT CASE WHEN n.nspname = 'public' THEN r.relname ELSE n.nspname || '.' || r.relname END,"
            + " CASE WHEN r.relkind IN ('i', 'I') THEN 'index' ELSE 'table' END, l.mode,"
            + tableOf("r") + ", r.oid::int8"
            + " FROM pg_locks l JOIN pg_class r ON r.oid = l.relation JOIN pg_namespace n ON n.oid = r.relnamespace"
            + " WHERE l.pid = pg_backend_pid() AND l.granted AND l.locktype = 'relation'"
            + " AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%'"
            + " AND r.relkind IN ('r', 'p', 'i', 'I', 'm')")) {
      while (rs.next()) {
        if (existedBefore != null && !existedBefore.contains(rs.getLong(5))) {
          continue;
        }
        HeldLock lock = new HeldLock(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4));
        if (ignoredTables.contains(lock.relation()) || ignoredTables.stream()
            .anyMatch(t -> lock.relation().startsWith(t + "_"))) {
          continue;
        }
        merge(locks, lock);
      }
    }
    locks.sort(java.util.Comparator.comparing(HeldLock::relation));
    return locks;
  }

  /**
   * SQL selecting the name of the table a lock on the relation aliased {@code r} keeps from production: the
   * relation itself, or an index's table by {@code pg_index.indrelid} (a REINDEX's ACCESS EXCLUSIVE on an index
   * stops every query of its table).
   */
  public static String tableOf(String r) {
    return " (SELECT CASE WHEN tn.nspname = 'public' THEN t.relname ELSE tn.nspname || '.' || t.relname END"
        + " FROM pg_class t JOIN pg_namespace tn ON tn.oid = t.relnamespace WHERE t.oid = " + tableOid(r) + ")";
  }

  /** SQL selecting the OID of the table of the relation aliased {@code r}, as {@link #tableOf(String)}. */
  public static String tableOid(String r) {
    return "CASE WHEN " + r + ".relkind IN ('i', 'I') THEN (SELECT x.indrelid FROM pg_index x WHERE x.indexrelid = "
        + r + ".oid) ELSE " + r + ".oid END";
  }

  /** The OIDs of every table and index now: what {@link #ofOwnBackend(Connection, List, java.util.Set)} compares to. */
  public static java.util.Set<Long> relationOids(Connection c) throws SQLException {
    java.util.Set<Long> oids = new java.util.HashSet<>();
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
        "SELECT oid::int8 FROM pg_class WHERE relkind IN ('r', 'p', 'i', 'I', 'm')")) {
      while (rs.next()) {
        oids.add(rs.getLong(1));
      }
    }
    return oids;
  }

  private static void merge(List<HeldLock> locks, HeldLock lock) {
    for (int i = 0; i < locks.size(); i++) {
      HeldLock known = locks.get(i);
      if (known.relation().equals(lock.relation())) {
        if (LockModes.strength(lock.mode()) > LockModes.strength(known.mode())) {
          locks.set(i, lock);
        }
        return;
      }
    }
    locks.add(lock);
  }
}
