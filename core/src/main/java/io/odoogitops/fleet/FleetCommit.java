package io.odoogitops.fleet;

import io.odoogitops.gitops.HistoryEntry;
import java.util.Objects;

/**
 * A promotion or rollback of a tenant as its commit records it, with the fleet trailers the history entry does not
 * carry.
 *
 * @param fleet the {@code Fleet:} trailer, or null when the commit was not made for a fleet
 * @param wave the {@code Wave:} trailer, or null
 */
public record FleetCommit(HistoryEntry entry, String fleet, String wave) {

  public FleetCommit {
    Objects.requireNonNull(entry, "entry");
  }
}
