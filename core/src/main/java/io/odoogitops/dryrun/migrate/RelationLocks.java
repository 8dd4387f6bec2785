package io.odoogitops.dryrun.migrate;

import java.util.List;
import java.util.Optional;

/**
 * What the run's backends held on one relation.
 *
 * @param strongestMode the strongest mode seen in any sample
 * @param longestHolds per mode of at least SHARE ROW EXCLUSIVE (the modes that block writers), its longest
 *     continuous hold, strongest mode first
 */
public record RelationLocks(String relation, String kind, String strongestMode, List<LockHold> longestHolds) {

  public RelationLocks {
    longestHolds = List.copyOf(longestHolds);
  }

  public Optional<LockHold> longest(String mode) {
    return longestHolds.stream().filter(h -> h.mode().equals(mode)).findFirst();
  }
}
