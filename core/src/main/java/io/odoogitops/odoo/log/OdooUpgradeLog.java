package io.odoogitops.odoo.log;

import java.util.List;
import java.util.Optional;

/**
 * What Odoo's log of one upgrade run says, for the verdict and the per-module report.
 *
 * @param modules the modules Odoo reported as loaded, in the order it loaded them
 * @param scripts every migration script Odoo ran, in order
 * @param errorLines the ERROR and CRITICAL records, each followed by {@code " | "} and the exception line of its
 *     traceback when it had one; at most {@link OdooLogReader#MAX_ERROR_LINES}, each at most
 *     {@link OdooLogReader#MAX_LINE_CHARS} characters
 * @param odooLines how many lines were Odoo log records; 0 means the output was not an Odoo log at all (a wrong
 *     image or command, a crash before logging was set up), which the caller reports
 */
public record OdooUpgradeLog(List<ModuleLoad> modules, List<MigrationScriptRun> scripts, List<String> errorLines,
    int odooLines) {

  public OdooUpgradeLog {
    modules = List.copyOf(modules);
    scripts = List.copyOf(scripts);
    errorLines = List.copyOf(errorLines);
  }

  /** Nothing read yet. */
  public static OdooUpgradeLog empty() {
    return new OdooUpgradeLog(List.of(), List.of(), List.of(), 0);
  }

  /** The last load of {@code module}, if Odoo reported one. */
  public Optional<ModuleLoad> module(String module) {
    for (int i = modules.size() - 1; i >= 0; i--) {
      if (modules.get(i).module().equals(module)) {
        return Optional.of(modules.get(i));
      }
    }
    return Optional.empty();
  }
}
