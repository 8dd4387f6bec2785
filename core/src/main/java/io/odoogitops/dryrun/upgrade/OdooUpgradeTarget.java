package io.odoogitops.dryrun.upgrade;

import io.odoogitops.dryrun.clone.PgEndpoint;
import java.util.List;
import java.util.Objects;

/**
 * What one {@code odoo -u} run works on.
 *
 * @param image the built image pinned by digest ({@code registry/repository@sha256:...}), never a tag; {@code null}
 *     for a runner that runs a local Odoo rather than the image
 * @param database the staging clone as its strategy exposes it: host, port, database and the clone owner's credentials
 * @param modules the technical names to upgrade ({@code -u}), or {@code all}
 * @param install the technical names to install ({@code -i}): dependencies the release adds
 */
public record OdooUpgradeTarget(String image, PgEndpoint database, List<String> modules, List<String> install) {

  public OdooUpgradeTarget {
    Objects.requireNonNull(database, "database");
    modules = List.copyOf(modules);
    install = List.copyOf(install == null ? List.of() : install);
  }

  public OdooUpgradeTarget(String image, PgEndpoint database, List<String> modules) {
    this(image, database, modules, List.of());
  }
}
