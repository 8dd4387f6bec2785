package io.odoogitops.dryrun.upgrade;

import io.odoogitops.dryrun.clone.PgEndpoint;
import java.util.List;
import java.util.Objects;

/**
 * What one {@code odoo -u} run works on.
 *
 * @param image the built image pinned by digest ({@code registry/repository@sha256:...}), never a tag
 * @param database the staging clone as its strategy exposes it: host, port, database and the clone owner's credentials
 * @param modules the technical names to upgrade, or {@code all}
 */
public record OdooUpgradeTarget(String image, PgEndpoint database, List<String> modules) {

  public OdooUpgradeTarget {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(database, "database");
    modules = List.copyOf(modules);
  }
}
