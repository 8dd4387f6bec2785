package io.odoogitops.odoo.log;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A module Odoo loaded while upgrading or installing it ({@code Module sale loaded in 0.52s, 310 queries}; logged at
 * INFO for modules to update, at DEBUG otherwise).
 *
 * @param finishedAt when this machine read the "loaded" line
 * @param duration as Odoo logged it
 * @param queries as Odoo logged it, {@code null} when the line carried none
 * @param scripts the migration scripts Odoo ran for it, in order
 */
public record ModuleLoad(String module, Instant finishedAt, Duration duration, Long queries,
    List<MigrationScriptRun> scripts) {

  public ModuleLoad {
    scripts = List.copyOf(scripts);
  }

  /** When the module started loading, by Odoo's own duration: the span its locks and rows are attributed to. */
  public Instant startedAt() {
    return finishedAt.minus(duration);
  }
}
