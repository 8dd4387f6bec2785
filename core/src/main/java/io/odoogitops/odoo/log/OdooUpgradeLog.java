package io.odoogitops.odoo.log;

import java.util.List;

/**
 * What an {@code odoo -u} run's log says it did.
 *
 * @param modules the modules it loaded with a "loaded in" line, in order
 * @param scripts every migration script it announced, in order
 * @param errorLines ERROR and CRITICAL records, each with the first line that followed it when that line is not a
 *     record (the start of the traceback)
 * @param odooLines how many lines parsed as Odoo records; 0 means the output was not Odoo's log at all
 */
public record OdooUpgradeLog(List<ModuleLoad> modules, List<MigrationScriptRun> scripts, List<String> errorLines,
    int odooLines) {

  public static final OdooUpgradeLog EMPTY = new OdooUpgradeLog(List.of(), List.of(), List.of(), 0);

  public OdooUpgradeLog {
    modules = List.copyOf(modules);
    scripts = List.copyOf(scripts);
    errorLines = List.copyOf(errorLines);
  }
}
