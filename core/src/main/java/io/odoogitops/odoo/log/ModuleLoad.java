package io.odoogitops.odoo.log;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One module Odoo loaded, from its {@code Module <m> loaded in <s>s, <n> queries} line. Odoo 16.0 to 18.0 log that
 * line at INFO for the modules it installs or upgrades and at DEBUG for the others, so at the default log level these
 * are exactly the modules the run changed.
 *
 * @param module the module's technical name
 * @param finishedAt when the line was received, i.e. when Odoo finished the module
 * @param duration the time Odoo measured for it (to 10 ms); the module's span is {@code finishedAt - duration} to
 *     {@code finishedAt}
 * @param queries the queries of the loading cursor Odoo counted for it, {@code null} when the line had none; the
 *     {@code (+N other)} and {@code (+N test)} queries of other cursors are not included
 * @param scripts the migration scripts Odoo ran for it, in order, {@code end-} scripts included
 */
public record ModuleLoad(String module, Instant finishedAt, Duration duration, Long queries,
    List<MigrationScriptRun> scripts) {

  public ModuleLoad {
    Objects.requireNonNull(module, "module");
    Objects.requireNonNull(finishedAt, "finishedAt");
    Objects.requireNonNull(duration, "duration");
    scripts = List.copyOf(scripts);
  }

  /** When Odoo started the module, as far as its own timing says. */
  public Instant startedAt() {
    return finishedAt.minus(duration);
  }
}
