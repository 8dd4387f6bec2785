package io.odoogitops.dryrun.migrate;

import java.time.Duration;
import java.time.Instant;

/**
 * One continuous hold of a lock mode on a relation by the run's backends, as the lock sampler saw it. The edges are
 * estimated half-way between the last sample without the lock and the first with it (and likewise at the end), so
 * the error on {@link #duration()} is at most one sampling interval either way.
 *
 * @param kind {@code table} or {@code index}
 * @param table the table the lock keeps from production: the relation itself, or an index's table
 *     ({@code pg_index.indrelid}), since a lock on an index blocks the queries and writes of its table;
 *     {@code null} when unknown
 */
public record LockHold(String relation, String kind, String mode, Instant start, Instant end, String table) {

  /** A hold on a table, or on an index whose table is unknown. */
  public LockHold(String relation, String kind, String mode, Instant start, Instant end) {
    this(relation, kind, mode, start, end, "table".equals(kind) ? relation : null);
  }

  public Duration duration() {
    return Duration.between(start, end);
  }

  public boolean overlaps(Instant from, Instant to) {
    return start.isBefore(to) && end.isAfter(from);
  }
}
