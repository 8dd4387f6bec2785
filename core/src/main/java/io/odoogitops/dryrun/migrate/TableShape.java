package io.odoogitops.dryrun.migrate;

import java.util.Map;

/**
 * One table as the catalog describes it at an instant.
 *
 * @param oid stays the same across ALTER TABLE, so a table is recognized even when rewritten
 * @param filenode the file holding its rows; a new one means PostgreSQL rewrote the whole table
 * @param columns name to {@code type [NOT NULL] [DEFAULT expr]}
 * @param indexes name to definition ({@code pg_get_indexdef})
 * @param constraints name to definition ({@code pg_get_constraintdef})
 */
public record TableShape(String name, long oid, long filenode, Map<String, String> columns,
    Map<String, String> indexes, Map<String, String> constraints) {

  public TableShape {
    columns = Map.copyOf(columns);
    indexes = Map.copyOf(indexes);
    constraints = Map.copyOf(constraints);
  }
}
