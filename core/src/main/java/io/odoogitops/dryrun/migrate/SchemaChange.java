package io.odoogitops.dryrun.migrate;

/**
 * One difference between two schema snapshots.
 *
 * @param before definition before, null when added
 * @param after definition after, null when dropped
 */
public record SchemaChange(Kind kind, ObjectType object, String table, String name, String before, String after) {

  public enum Kind { ADDED, DROPPED, CHANGED }

  public enum ObjectType { TABLE, COLUMN, INDEX, CONSTRAINT }

  @Override
  public String toString() {
    String what = object == ObjectType.TABLE ? "table " + table : object.name().toLowerCase() + " " + table + "." + name;
    return switch (kind) {
      case ADDED -> "added " + what + (after == null || object == ObjectType.TABLE ? "" : " " + after);
      case DROPPED -> "dropped " + what;
      case CHANGED -> "changed " + what + ": " + before + " -> " + after;
    };
  }
}
