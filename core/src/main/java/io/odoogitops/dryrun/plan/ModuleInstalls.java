package io.odoogitops.dryrun.plan;

import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The modules an upgrade installs besides those it upgrades, by the rules of Odoo's {@code ir.module.module}:
 * {@code button_upgrade} installs the dependencies a kept module's manifest names and the database lacks,
 * {@code button_install} their own dependencies in turn, and then every auto_install module whose triggers are all
 * installed, to upgrade or to install with at least one of them to install, until nothing more qualifies.
 */
final class ModuleInstalls {

  private record Need(String module, String dependent, String root) {
  }

  private final Map<String, ImageModule> image = new TreeMap<>();
  private final Set<String> installed;
  private final Set<String> baseModules;
  /** To install, with why; in the order found. */
  private final Map<String, String> install = new LinkedHashMap<>();
  private final Map<String, String> missing = new TreeMap<>();
  private final Map<String, String> countryLimited = new TreeMap<>();

  private ModuleInstalls(List<ImageModule> modules, Set<String> installed, Set<String> baseModules) {
    modules.forEach(m -> image.put(m.name(), m));
    this.installed = installed;
    this.baseModules = baseModules;
  }

  /**
   * @param installed the modules installed in the database (installed, to upgrade, to remove): they stay
   * @return the INSTALL and MISSING_DEPENDENCY plans, and INSTALLABLE ones for auto_install modules limited to
   *     countries, by name
   */
  static Map<String, ModulePlan> plan(String series, List<ImageModule> modules, Set<String> installed,
      Set<String> baseModules) {
    ModuleInstalls installs = new ModuleInstalls(modules, installed, baseModules);
    installs.resolve();
    Map<String, ModulePlan> plans = new TreeMap<>();
    installs.install.forEach((name, reason) -> {
      ImageModule module = installs.image.get(name);
      plans.put(name, new ModulePlan(name, ModulePlan.Action.INSTALL, null,
          module == null ? null : OdooVersion.adapt(series, module.version()), reason, List.of()));
    });
    installs.missing.forEach((name, reason) -> plans.put(name, new ModulePlan(name,
        ModulePlan.Action.MISSING_DEPENDENCY, null, null, reason, List.of())));
    installs.countryLimited.forEach((name, reason) -> plans.put(name, new ModulePlan(name,
        ModulePlan.Action.INSTALLABLE, null, OdooVersion.adapt(series, installs.image.get(name).version()), reason,
        List.of())));
    return plans;
  }

  private void resolve() {
    Deque<Need> needs = new ArrayDeque<>();
    image.values().stream().filter(m -> installed.contains(m.name()))
        .forEach(m -> m.depends().forEach(d -> needs.add(new Need(d, m.name(), m.name()))));
    satisfy(needs);
    boolean more = true;
    while (more) {
      more = false;
      for (ImageModule module : image.values()) {
        if (!module.autoInstall() || present(module.name()) || countryLimited.containsKey(module.name())) {
          continue;
        }
        Set<String> triggers = module.autoInstallTriggers();
        List<String> newly = triggers.stream().filter(install::containsKey).sorted().toList();
        if (newly.isEmpty() || !triggers.stream().allMatch(this::present)) {
          continue;
        }
        if (!module.countries().isEmpty()) {
          countryLimited.put(module.name(), "auto_install once " + String.join(", ", newly) + " is installed, but"
              + " only for companies in " + String.join(", ", module.countries()) + ", which the plan does not"
              + " check: Odoo may install it too");
          continue;
        }
        install.put(module.name(), "auto_install: its triggers (" + triggers.stream().sorted()
            .collect(Collectors.joining(", ")) + ") will all be installed, " + String.join(", ", newly)
            + (newly.size() == 1 ? " newly" : " of them newly"));
        module.depends().forEach(d -> needs.add(new Need(d, module.name(), module.name())));
        satisfy(needs);
        more = true;
      }
    }
  }

  private boolean present(String module) {
    return installed.contains(module) || install.containsKey(module);
  }

  private void satisfy(Deque<Need> needs) {
    while (!needs.isEmpty()) {
      Need need = needs.poll();
      String name = need.module();
      if (present(name) || missing.containsKey(name)) {
        continue;
      }
      String why = need.dependent().equals(need.root()) ? need.root() + " depends on it"
          : need.root() + " needs it through " + need.dependent();
      ImageModule module = image.get(name);
      if (module != null) {
        install.put(name, "not installed; " + why);
        module.depends().stream().sorted(Comparator.naturalOrder())
            .forEach(d -> needs.add(new Need(d, name, need.root())));
      } else if (baseModules.contains(name)) {
        install.put(name, "not installed; " + why + "; the base image provides it");
      } else if (baseModules.isEmpty()) {
        // as the image build does without base modules: what the release does not ship comes from the base image
        install.put(name, "not installed; " + why + "; not among the release's modules, so taken to come from the"
            + " base image (give the base modules to check it)");
      } else {
        missing.put(name, why + ", but it is neither in the image nor in the base modules: Odoo refuses to"
            + " upgrade or install " + need.dependent() + " (\"not available in your system\"); add " + name
            + " to the image or drop the dependency");
      }
    }
  }
}
