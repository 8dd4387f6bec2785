package io.odoogitops.odoo.log;

import java.time.Instant;

/**
 * A migration script Odoo announced it ran ({@code module sale_ext: Running migration [>17.0.1.1] pre-rename}).
 *
 * @param version the version folder as Odoo printed it inside the brackets, without the stage markers
 * @param stage {@code pre} ({@code [>v]}), {@code post} ({@code [v>]}) or {@code end} ({@code [$v]})
 * @param script the script's name as Odoo printed it (the file name without {@code .py})
 * @param receivedAt when this machine read the line
 */
public record MigrationScriptRun(String module, String version, String stage, String script, Instant receivedAt) {
}
