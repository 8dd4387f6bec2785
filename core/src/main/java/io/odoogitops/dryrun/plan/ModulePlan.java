package io.odoogitops.dryrun.plan;

import java.util.List;

/**
 * What an upgrade of the database to the image would do to one module.
 *
 * @param installedVersion as recorded in the database, null when not installed
 * @param imageVersion series-prefixed, null when the image lacks the module (or the base image provides it)
 * @param reason why this action, in words
 */
public record ModulePlan(String name, Action action, String installedVersion, String imageVersion, String reason,
    List<MigrationScript> scripts) {

  public enum Action {
    /** In the image, not installed, and nothing the upgrade installs or keeps needs it: left alone. */
    INSTALLABLE,
    /**
     * Not installed, and the upgrade installs it ({@code -i}): a module that stays installed or gets installed depends
     * on it, or it is auto_install and its triggers will all be installed, one of them newly.
     */
    INSTALL,
    /**
     * Needed by a module the upgrade keeps or installs, but neither in the image nor in the base modules: Odoo refuses
     * the upgrade ("this module is not available in your system").
     */
    MISSING_DEPENDENCY,
    /** Installed and changed (version or checksum): Odoo upgrades it and runs its migration scripts. */
    UPGRADE,
    /** Installed and identical. */
    UNCHANGED,
    /** Installed, and provided by the base image (Odoo's own modules): the base image's digest decides it. */
    IN_BASE_IMAGE,
    /** Installed in the database but absent from the image: Odoo cannot load it. */
    MISSING_FROM_IMAGE,
    /** Installed version newer than the image's: a downgrade, which Odoo does not do. */
    DOWNGRADE
  }

  public ModulePlan {
    scripts = List.copyOf(scripts);
  }
}
