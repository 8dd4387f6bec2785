/**
 * Reads the server log Odoo writes while it upgrades modules ({@code odoo -u ... --stop-after-init}), in the formats
 * of Odoo 16.0, 17.0 and 18.0: which modules were loaded and how long each took, which migration scripts ran, and
 * the ERROR/CRITICAL records. Pure parsing: no database, no process, nothing of the dry-run; whoever runs Odoo feeds
 * the lines to an {@link io.odoogitops.odoo.log.OdooLogReader} as they arrive.
 */
package io.odoogitops.odoo.log;
