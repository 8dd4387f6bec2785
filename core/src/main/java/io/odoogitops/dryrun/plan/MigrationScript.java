package io.odoogitops.dryrun.plan;

/**
 * A Python migration script Odoo would run while upgrading a module.
 *
 * @param stage {@code pre} (before the module loads), {@code post} (after), {@code end} (after all modules)
 * @param folder the version folder it lives in, as written ({@code 1.3}, {@code 17.0.1.3}, {@code 0.0.0})
 * @param file relative to the module directory, e.g. {@code migrations/1.3/pre-rename.py}
 */
public record MigrationScript(String stage, String folder, String file) {
}
