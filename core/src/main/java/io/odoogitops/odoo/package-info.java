/**
 * The Odoo domain as odoo-gitops needs it, without Odoo itself.
 *
 * <ul>
 *   <li>{@link io.odoogitops.odoo.ModuleDiscovery#discover(java.util.List)}: addons directories to
 *       {@link io.odoogitops.odoo.OdooModule}s (name, path, parsed {@link io.odoogitops.odoo.Manifest}, checksum);</li>
 *   <li>{@link io.odoogitops.odoo.ModuleGraph#resolve(java.util.Collection, io.odoogitops.odoo.BaseModules)}: the
 *       installable modules in dependency order, with missing dependencies and cycles reported;</li>
 *   <li>{@link io.odoogitops.odoo.AddonChecksum} under {@link io.odoogitops.odoo.ChecksumRules}: the checksum
 *       module_auto_update and click-odoo-update store in {@code module_auto_update.installed_checksums};</li>
 *   <li>{@link io.odoogitops.odoo.OdooSeries}: the series the modules declare, and versions as Odoo stores them.</li>
 * </ul>
 */
package io.odoogitops.odoo;
