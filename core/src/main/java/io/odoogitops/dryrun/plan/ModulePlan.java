package io.odoogitops.dryrun.plan;

import java.util.List;

/**
 * What an upgrade of the database to the image would do to one module.
 *
 * @param installedVersion as recorded in the database, null when not installed
 * @param imageVersion series-prefixed, null when the image lacks the module
 * @param reason why this action, in words
 */
public record ModulePlan(String name, Action action, String installedVersion, String imageVersion, String reason,
    List<MigrationScript> scripts) {

  public enum Action {
    /** In the image, not installed: only installed if something depends on it or an operator asks. */
    INSTALLABLE,
    /** Installed and changed (version or checksum): Odoo upgrades it and runs its migration scripts. */
    UPGRADE,
    /** Installed and identical. */
    UNCHANGED,
    /** Installed in the database but absent from the image: Odoo cannot load it. */
    MISSING_FROM_IMAGE,
    /** Installed version newer than the image's: a downgrade, which Odoo does not do. */
    DOWNGRADE
  }

  public ModulePlan {
    scripts = List.copyOf(scripts);
  }
}
