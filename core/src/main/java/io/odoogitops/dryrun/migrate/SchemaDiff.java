package io.odoogitops.dryrun.migrate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/** Compares two snapshots: what a migration added, dropped, changed and rewrote. */
public final class SchemaDiff {

  private SchemaDiff() {
  }

  public static List<SchemaChange> between(SchemaSnapshot before, SchemaSnapshot after) {
    List<SchemaChange> changes = new ArrayList<>();
    TreeSet<String> names = new TreeSet<>(before.tables().keySet());
    names.addAll(after.tables().keySet());
    for (String table : names) {
      TableShape b = before.tables().get(table);
      TableShape a = after.tables().get(table);
      if (b == null) {
        changes.add(new SchemaChange(SchemaChange.Kind.ADDED, SchemaChange.ObjectType.TABLE, table, table, null,
            a.columns().size() + " columns"));
      } else if (a == null) {
        changes.add(new SchemaChange(SchemaChange.Kind.DROPPED, SchemaChange.ObjectType.TABLE, table, table,
            b.columns().size() + " columns", null));
      } else {
        compare(changes, SchemaChange.ObjectType.COLUMN, table, b.columns(), a.columns());
        compare(changes, SchemaChange.ObjectType.INDEX, table, b.indexes(), a.indexes());
        compare(changes, SchemaChange.ObjectType.CONSTRAINT, table, b.constraints(), a.constraints());
      }
    }
    return changes;
  }

  /**
   * Tables present before and after whose data file changed: PostgreSQL copied every row into a new file (ALTER
   * COLUMN TYPE, ADD COLUMN with a volatile default, VACUUM FULL, CLUSTER), holding ACCESS EXCLUSIVE meanwhile.
   */
  public static List<String> rewritten(SchemaSnapshot before, SchemaSnapshot after) {
    List<String> tables = new ArrayList<>();
    new TreeSet<>(before.tables().keySet()).forEach(name -> {
      TableShape b = before.tables().get(name);
      TableShape a = after.tables().get(name);
      if (a != null && a.oid() == b.oid() && a.filenode() != b.filenode()) {
        tables.add(name);
      }
    });
    return tables;
  }

  private static void compare(List<SchemaChange> changes, SchemaChange.ObjectType type, String table,
      Map<String, String> before, Map<String, String> after) {
    TreeSet<String> names = new TreeSet<>(before.keySet());
    names.addAll(after.keySet());
    for (String name : names) {
      String b = before.get(name);
      String a = after.get(name);
      if (b == null) {
        changes.add(new SchemaChange(SchemaChange.Kind.ADDED, type, table, name, null, a));
      } else if (a == null) {
        changes.add(new SchemaChange(SchemaChange.Kind.DROPPED, type, table, name, b, null));
      } else if (!Objects.equals(a, b)) {
        changes.add(new SchemaChange(SchemaChange.Kind.CHANGED, type, table, name, b, a));
      }
    }
  }
}
