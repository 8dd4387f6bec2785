package io.odoogitops.odoo.log;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * One migration script Odoo ran, from its {@code module <m>: Running migration [<stage/version>] <script>} line.
 *
 * @param module the module whose script it is
 * @param version the migration folder's version as Odoo printed it ({@code 1.1}, {@code 18.0.1.1}, {@code 0.0.0})
 * @param stage {@link #PRE} (before the module's models are loaded), {@link #POST} (after its data) or {@link #END}
 *     (after every module was updated)
 * @param script the script's file name without {@code .py}, e.g. {@code pre-migrate}
 * @param receivedAt when its line was received: Odoo logs it just before it runs the script
 */
public record MigrationScriptRun(String module, String version, String stage, String script, Instant receivedAt) {

  public static final String PRE = "pre";
  public static final String POST = "post";
  public static final String END = "end";
  private static final Set<String> STAGES = Set.of(PRE, POST, END);

  public MigrationScriptRun {
    Objects.requireNonNull(module, "module");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(script, "script");
    Objects.requireNonNull(receivedAt, "receivedAt");
    if (!STAGES.contains(stage)) {
      throw new IllegalArgumentException("migration stage must be pre, post or end, got " + stage);
    }
  }
}
