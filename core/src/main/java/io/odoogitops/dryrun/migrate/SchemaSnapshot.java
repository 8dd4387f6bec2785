package io.odoogitops.dryrun.migrate;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The shape of every user table (outside the system schemas), read in the caller's transaction so that a snapshot
 * taken inside a migration's transaction sees that migration's own changes.
 */
public record SchemaSnapshot(Map<String, TableShape> tables) {

  private static final String USER_TABLES = "c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog',"
      + " 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'";

  public SchemaSnapshot {
    tables = Map.copyOf(tables);
  }

  public Optional<TableShape> table(String name) {
    return Optional.ofNullable(tables.get(name));
  }

  public static SchemaSnapshot read(Connection c) throws SQLException {
    Map<String, long[]> identity = new LinkedHashMap<>();
    Map<String, Map<String, String>> columns = new HashMap<>();
    Map<String, Map<String, String>> indexes = new HashMap<>();
    Map<String, Map<String, String>> constraints = new HashMap<>();
    try (Statement st = c.createStatement()) {
      try (ResultSet rs = st.executeQuery("SELECT " + qualified("c") + ", c.oid, pg_relation_filenode(c.oid)"
          + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE " + USER_TABLES)) {
        while (rs.next()) {
          identity.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3)});
        }
      }
      try (ResultSet rs = st.executeQuery("SELECT " + qualified("c") + ", a.attname,"
          + " format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END"
          + " || COALESCE(' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid), '')"
          + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
          + " JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped"
          + " LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum WHERE " + USER_TABLES)) {
        while (rs.next()) {
          columns.computeIfAbsent(rs.getString(1), k -> new HashMap<>()).put(rs.getString(2), rs.getString(3));
        }
      }
      try (ResultSet rs = st.executeQuery("SELECT " + qualified("c") + ", i.relname, pg_get_indexdef(x.indexrelid)"
          + " FROM pg_index x JOIN pg_class c ON c.oid = x.indrelid JOIN pg_class i ON i.oid = x.indexrelid"
          + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE " + USER_TABLES)) {
        while (rs.next()) {
          indexes.computeIfAbsent(rs.getString(1), k -> new HashMap<>()).put(rs.getString(2), rs.getString(3));
        }
      }
      try (ResultSet rs = st.executeQuery("SELECT " + qualified("c") + ", k.conname,"
          + " pg_get_constraintdef(k.oid) || CASE WHEN k.convalidated THEN '' ELSE ' (not validated)' END"
          + " FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid"
          + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE " + USER_TABLES)) {
        while (rs.next()) {
          constraints.computeIfAbsent(rs.getString(1), k -> new HashMap<>()).put(rs.getString(2), rs.getString(3));
        }
      }
    }
    Map<String, TableShape> tables = new HashMap<>();
    identity.forEach((name, ids) -> tables.put(name, new TableShape(name, ids[0], ids[1],
        columns.getOrDefault(name, Map.of()), indexes.getOrDefault(name, Map.of()),
        constraints.getOrDefault(name, Map.of()))));
    return new SchemaSnapshot(tables);
  }

  /** {@code table} in the public schema, {@code schema.table} elsewhere: what Odoo people recognize. */
  private static String qualified(String alias) {
    return "CASE WHEN n.nspname = 'public' THEN " + alias + ".relname ELSE n.nspname || '.' || " + alias
        + ".relname END";
  }
}
