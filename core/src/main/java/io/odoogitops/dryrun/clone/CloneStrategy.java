package io.odoogitops.dryrun.clone;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * One way of making a staging clone of the source. Every strategy reads the source only, names what it creates with
 * a {@link CloneName}, and can sweep what a crashed run of the same strategy left behind.
 */
public interface CloneStrategy {

  /** The name users pick it by: {@code template}, {@code dump}, {@code embedded}, {@code container}. */
  String name();

  /** Makes the clone; the caller owns it and must close it (try-with-resources). */
  StagingClone create(PgEndpoint source, CloneName name);

  /** Removes clones of {@code prefix} older than {@code ttl}; returns their names. */
  List<String> sweep(String prefix, Duration ttl, Clock clock);

  /**
   * Refuses a source this strategy cannot clone, from the endpoint alone (nothing is contacted): called before the
   * sweep, so a mistake is reported before any server is touched.
   */
  default void requireCloneable(PgEndpoint source) {
  }

  /**
   * Whether a process on another machine (an upgrade Job's pod) can reach the clones, given network access to the
   * server the strategy was pointed at. True for clones made on a staging server.
   */
  default boolean reachableFromOtherHosts() {
    return true;
  }
}
