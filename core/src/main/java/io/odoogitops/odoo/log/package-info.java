/**
 * Odoo's server log, parsed: lines, module loads, migration scripts, errors. Pure parsing, no database.
 *
 * <p>MINIMAL VERSION written on branch upgrade-run with exactly the names of the issue 13 contract, so the dry-run's
 * measurement can attribute locks and rows to modules; the full parser of branch odoo-log replaces it at merge.
 */
package io.odoogitops.odoo.log;
