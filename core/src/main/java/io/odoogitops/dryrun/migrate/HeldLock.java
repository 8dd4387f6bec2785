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
 */
public record HeldLock(String relation, String kind, String mode) {

  public static final String ACCESS_EXCLUSIVE = LockModes.ACCESS_EXCLUSIVE;

  public boolean accessExclusive() {
    return ACCESS_EXCLUSIVE.equals(mode);
  }

  /** The strongest relation lock per user table or index held by this session, ignoring {@code ignoredTables}. */
  public static List<HeldLock> ofOwnBackend(Connection c, List<String> ignoredTables) throws SQLException {
    List<HeldLock> locks = new ArrayList<>();
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
        "SELECT CASE WHEN n.nspname = 'public' THEN r.relname ELSE n.nspname || '.' || r.relname END,"
            + " CASE WHEN r.relkind IN ('i', 'I') THEN 'index' ELSE 'table' END, l.mode"
            + " FROM pg_locks l JOIN pg_class r ON r.oid = l.relation JOIN pg_namespace n ON n.oid = r.relnamespace"
            + " WHERE l.pid = pg_backend_pid() AND l.granted AND l.locktype = 'relation'"
            + " AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%'"
            + " AND r.relkind IN ('r', 'p', 'i', 'I', 'm')")) {
      while (rs.next()) {
        HeldLock lock = new HeldLock(rs.getString(1), rs.getString(2), rs.getString(3));
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
