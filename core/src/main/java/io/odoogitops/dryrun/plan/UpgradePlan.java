package io.odoogitops.dryrun.plan;

import java.util.List;

/** The upgrade an Odoo of {@code series} would perform on the database, module by module, in name order. */
public record UpgradePlan(String series, List<ModulePlan> modules) {

  public UpgradePlan {
    modules = List.copyOf(modules);
  }

  public List<ModulePlan> with(ModulePlan.Action action) {
    return modules.stream().filter(m -> m.action() == action).toList();
  }

  /** The names of the modules of {@code action}, in name order: {@code -u} for UPGRADE, {@code -i} for INSTALL. */
  public List<String> names(ModulePlan.Action action) {
    return with(action).stream().map(ModulePlan::name).toList();
  }
}
