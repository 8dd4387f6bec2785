package io.odoogitops.fleet;

import io.odoogitops.ImageDigest;
import java.util.List;

/**
 * What the GitOps repository says about one tenant.
 *
 * @param running the digest its manifests name for the fleet's application, or null if they name none
 * @param history its promotions and rollbacks of the fleet's application, newest first
 */
public record TenantFacts(ImageDigest running, List<FleetCommit> history) {

  static final TenantFacts NONE = new TenantFacts(null, List.of());

  public TenantFacts {
    history = List.copyOf(history);
  }
}
