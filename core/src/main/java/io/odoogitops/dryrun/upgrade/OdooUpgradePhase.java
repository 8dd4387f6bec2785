package io.odoogitops.dryrun.upgrade;

/**
 * Runs Odoo's own module upgrade ({@code odoo -u}) against the staging clone, after the SQL migrations. The dry-run
 * only knows this hook: where and how Odoo runs (a local process, a container, a Kubernetes Job) belongs to the
 * runner. The dry-run measures the run from the database side whatever the runner (locks, rewrites, schema, rows),
 * so runners only run, stream and judge the process.
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

  /**
   * Whether Odoo runs on another host than this one (a pod), so the clone must be reachable from there: the
   * {@code embedded} strategy's clones are not. True unless the runner says otherwise, the safe answer for a
   * runner that does not know.
   */
  default boolean needsReachableClone() {
    return true;
  }
}
