package io.odoogitops.dryrun.upgrade;

/**
 * Runs Odoo's own module upgrade ({@code odoo -u}) from the built image against the staging clone, after the SQL
 * migrations. The dry-run only knows this hook: where and how Odoo runs (a Kubernetes Job, today) belongs to the
 * caller, so the dry-run package does not depend on any cluster code.
 */
@FunctionalInterface
public interface OdooUpgradePhase {

  /**
   * Upgrades the modules of {@code target} and waits for it.
   *
   * @return the outcome; a failed upgrade is a result, not an exception
   * @throws io.odoogitops.ReleaseException when the upgrade could not be run at all (cluster unreachable, refused);
   *     the dry-run then stops, and still drops its clone
   */
  OdooUpgradeRun run(OdooUpgradeTarget target);
}
