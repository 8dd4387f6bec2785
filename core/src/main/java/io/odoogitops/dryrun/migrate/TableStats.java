package io.odoogitops.dryrun.migrate;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The cumulative write counters of every user table at one instant. Two of them, taken around a run, give the rows
 * it changed.
 *
 * <p>Counters only show what backends flushed: a backend flushes at the end of its transactions when idle (at most
 * once a second since PostgreSQL 15) and always when it exits. Read after the run's backends are gone, they are
 * complete; {@link #read} drops the snapshot the session may have cached ({@code stats_fetch_consistency}).
 */
public record TableStats(Map<String, RowChange> counters) {

  public TableStats {
    counters = Map.copyOf(counters);
  }

  /** Cumulative counters of every table, in a fresh statistics snapshot. */
  public static TableStats read(Connection c) throws SQLException {
    return query(c, "pg_stat_user_tables");
  }

  /**
   * This session's own counters for its open transaction, not yet flushed: read twice inside a migration's
   * transaction, they give exactly that migration's writes.
   */
  public static TableStats ofOwnTransaction(Connection c) throws SQLException {
    return query(c, "pg_stat_xact_user_tables");
  }

  private static TableStats query(Connection c, String view) throws SQLException {
    Map<String, RowChange> counters = new HashMap<>();
    try (Statement st = c.createStatement()) {
      st.execute("SELECT pg_stat_clear_snapshot()");
      try (ResultSet rs = st.executeQuery("SELECT CASE WHEN schemaname = 'public' THEN relname"
          + " ELSE schemaname || '.' || relname END, n_tup_ins, n_tup_upd, n_tup_del FROM " + view)) {
        while (rs.next()) {
          counters.put(rs.getString(1), new RowChange(rs.getLong(2), rs.getLong(3), rs.getLong(4)));
        }
      }
    }
    return new TableStats(counters);
  }

  /** The rows of {@code table} ({@code table} in public, {@code schema.table} elsewhere), counted, not estimated. */
  public static long rowCount(Connection c, String table) throws SQLException {
    StringBuilder quoted = new StringBuilder();
    for (String part : table.split("\\.", 2)) {
      quoted.append(quoted.isEmpty() ? "" : ".").append('"').append(part.replace("\"", "\"\"")).append('"');
    }
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM " + quoted)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Per table, what changed since {@code before}; tables without writes are left out. */
  public Map<String, RowChange> since(TableStats before) {
    Map<String, RowChange> changes = new TreeMap<>();
    counters.forEach((table, now) -> {
      RowChange then = before.counters.getOrDefault(table, new RowChange(0, 0, 0));
      // a table dropped and recreated under the same name starts from zero again
      RowChange delta = now.inserted() < then.inserted() || now.updated() < then.updated()
          || now.deleted() < then.deleted() ? now
          : new RowChange(now.inserted() - then.inserted(), now.updated() - then.updated(),
              now.deleted() - then.deleted());
      if (delta.total() > 0) {
        changes.put(table, delta);
      }
    });
    return changes;
  }
}
