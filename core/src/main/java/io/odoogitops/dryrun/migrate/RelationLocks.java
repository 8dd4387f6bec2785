package io.odoogitops.dryrun.migrate;

import java.util.List;
import java.util.Optional;

/**
 * What the run's backends held on one relation.
 *
 * @param strongestMode the strongest mode seen in any sample
 * @param longestHolds per mode of at least SHARE (the modes that block writers), its longest continuous hold,
 *     strongest mode first
 * @param table the relation itself, or an index's table: the table production cannot use while it is held;
 *     {@code null} when unknown
 */
public record RelationLocks(String relation, String kind, String strongestMode, List<LockHold> longestHolds,
    String table) {

  public RelationLocks {
    longestHolds = List.copyOf(longestHolds);
  }

  /** Locks on a table, or on an index whose table is unknown. */
  public RelationLocks(String relation, String kind, String strongestMode, List<LockHold> longestHolds) {
    this(relation, kind, strongestMode, longestHolds, "table".equals(kind) ? relation : null);
  }

  public Optional<LockHold> longest(String mode) {
    return longestHolds.stream().filter(h -> h.mode().equals(mode)).findFirst();
  }
}
