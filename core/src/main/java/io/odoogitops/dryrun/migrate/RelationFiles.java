package io.odoogitops.dryrun.migrate;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The data file of every user table and index at one instant. A relation present before and after whose file
 * changed was rewritten: PostgreSQL copied all of it (ALTER COLUMN TYPE, VACUUM FULL, CLUSTER, REINDEX) under ACCESS
 * EXCLUSIVE, and production needs the disk for a second copy meanwhile.
 */
public record RelationFiles(Map<String, File> relations) {

  /** @param kind {@code table} or {@code index} */
  public record File(String kind, long oid, long filenode) {
  }

  public RelationFiles {
    relations = Map.copyOf(relations);
  }

  public static RelationFiles read(Connection c) throws SQLException {
    Map<String, File> relations = new HashMap<>();
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
        "SELECT CASE WHEN n.nspname = 'public' THEN c.relname ELSE n.nspname || '.' || c.relname END,"
            + " CASE WHEN c.relkind IN ('i', 'I') THEN 'index' ELSE 'table' END, c.oid, pg_relation_filenode(c.oid)"
            + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            + " WHERE c.relkind IN ('r', 'p', 'm', 'i', 'I') AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
            + " AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'")) {
      while (rs.next()) {
        relations.put(rs.getString(1), new File(rs.getString(2), rs.getLong(3), rs.getLong(4)));
      }
    }
    return new RelationFiles(relations);
  }

  /**
   * Relations of {@code kind} present in both whose data file changed, by name. An index rebuilt by ALTER COLUMN
   * TYPE keeps its name but gets a new oid: that is a rewrite too. A table is recognized by its oid, so a table
   * dropped and recreated under its name is a new table, not a rewrite.
   */
  public List<String> rewritten(RelationFiles after, String kind) {
    TreeSet<String> names = new TreeSet<>();
    relations.forEach((name, before) -> {
      File now = after.relations.get(name);
      if (now == null || !before.kind().equals(kind) || !now.kind().equals(kind)) {
        return;
      }
      boolean sameRelation = kind.equals("index") || now.oid() == before.oid();
      if (sameRelation && (now.oid() != before.oid() || now.filenode() != before.filenode())) {
        names.add(name);
      }
    });
    return List.copyOf(names);
  }
}
