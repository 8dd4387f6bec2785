package io.odoogitops.dryrun.migrate;

import java.time.Duration;
import java.util.List;

/**
 * What the lock sampler saw over a run.
 *
 * @param relations per relation, the strongest mode and the longest holds of the modes that block writers
 * @param holds every continuous hold of every mode, in the order they ended: what per-module attribution works on
 * @param backends distinct backends of the run seen on the database (0: the run never connected while sampled)
 * @param samples how many samples were taken
 * @param interval the interval asked for
 * @param queryTime time spent in the sampling queries themselves, the sampler's cost
 * @param error why sampling stopped early, {@code null} when it ran to the end
 */
public record LockSamples(List<RelationLocks> relations, List<LockHold> holds, int backends, int samples,
    Duration interval, Duration queryTime, String error) {

  public LockSamples {
    relations = List.copyOf(relations);
    holds = List.copyOf(holds);
  }
}
