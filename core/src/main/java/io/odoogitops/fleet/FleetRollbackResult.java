package io.odoogitops.fleet;

import io.odoogitops.ImageDigest;
import java.util.List;

/**
 * What {@code fleet rollback} did: every tenant that ran the fleet's digest (promoted by this fleet) returned to its
 * previous digest, one rollback commit each, landed in one push; the rollout is halted so that no later run promotes
 * the digest again until {@code fleet resume}.
 *
 * @param rolledBack tenants rolled back now (commit: the rollback commit), or found rolled back by an earlier run
 * @param head the branch head after the rollback
 */
public record FleetRollbackResult(String fleet, String application, ImageDigest digest,
    List<FleetAdvance.TenantStep> rolledBack, String head, String message) {

  public FleetRollbackResult {
    rolledBack = List.copyOf(rolledBack);
  }
}
