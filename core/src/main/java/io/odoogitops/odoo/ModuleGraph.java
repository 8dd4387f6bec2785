package io.odoogitops.odoo;

import io.odoogitops.ReleaseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The installable modules ordered so that every module comes after its dependencies, ties broken by name so the
 * order (and so the image's layer order) never depends on the file system. Modules with {@code installable: False}
 * are left out, as Odoo leaves them out; depending on one is an error, as is a cycle or a dependency that neither the
 * addons directories nor the base image provide. All problems are reported together, each with its chain.
 */
public final class ModuleGraph {

  private final List<OdooModule> ordered;
  private final Map<String, OdooModule> byName;
  private final List<OdooModule> notInstallable;
  private final Set<String> fromBase;

  private ModuleGraph(List<OdooModule> ordered, List<OdooModule> notInstallable, Set<String> fromBase) {
    this.ordered = List.copyOf(ordered);
    this.notInstallable = List.copyOf(notInstallable);
    this.fromBase = Collections.unmodifiableSet(new TreeSet<>(fromBase));
    Map<String, OdooModule> index = new LinkedHashMap<>();
    ordered.forEach(m -> index.put(m.name(), m));
    this.byName = Collections.unmodifiableMap(index);
  }

  /**
   * Orders {@code modules}.
   *
   * @param base which dependencies the base image provides
   * @throws ReleaseException (bad input) listing every missing dependency and cycle
   */
  public static ModuleGraph resolve(Collection<OdooModule> modules, BaseModules base) {
    Map<String, OdooModule> installable = new TreeMap<>();
    Map<String, OdooModule> uninstallable = new TreeMap<>();
    for (OdooModule module : modules) {
      (module.installable() ? installable : uninstallable).put(module.name(), module);
    }
    List<String> problems = new ArrayList<>();
    Set<String> fromBase = new TreeSet<>();
    for (OdooModule module : installable.values()) {
      for (String dependency : module.depends()) {
        if (installable.containsKey(dependency)) {
          continue;
        }
        String chain = chainTo(module.name(), installable) + " -> " + dependency;
        if (uninstallable.containsKey(dependency)) {
          OdooModule off = uninstallable.get(dependency);
          problems.add(chain + ": '" + dependency + "' is not installable (installable: False in "
              + off.manifest().positionOf("installable").map(Object::toString).orElse(off.manifest().file())
              + "); make it installable or drop the dependency");
        } else if (base.provides(dependency)) {
          fromBase.add(dependency);
        } else {
          problems.add(chain + ": '" + dependency + "' is in none of the addons directories nor in the base image"
              + " (declared in " + module.manifest().positionOf("depends").map(Object::toString)
                  .orElse(module.manifest().file()) + ")");
        }
      }
    }
    List<OdooModule> ordered = topologicalOrder(installable, problems);
    if (!problems.isEmpty()) {
      throw ReleaseException.badInput("the module dependencies cannot be resolved:\n  "
          + String.join("\n  ", problems));
    }
    return new ModuleGraph(ordered, List.copyOf(uninstallable.values()), fromBase);
  }

  /** Installable modules, every one after its dependencies. */
  public List<OdooModule> inDependencyOrder() {
    return ordered;
  }

  /** Modules found but left out because their manifest says {@code installable: False}. */
  public List<OdooModule> notInstallable() {
    return notInstallable;
  }

  /** Dependencies expected from the base image, sorted. */
  public Set<String> fromBase() {
    return fromBase;
  }

  public Optional<OdooModule> module(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /** Everything {@code name} needs, directly or not, base-image modules included; sorted. */
  public Set<String> dependenciesOf(String name) {
    Set<String> seen = new TreeSet<>();
    Deque<String> todo = new ArrayDeque<>(List.of(name));
    while (!todo.isEmpty()) {
      OdooModule module = byName.get(todo.pop());
      if (module != null) {
        module.depends().stream().filter(seen::add).forEach(todo::push);
      }
    }
    return Collections.unmodifiableSet(seen);
  }

  /** Every module that needs {@code name}, directly or not: those Odoo upgrades along with it. Sorted. */
  public Set<String> dependentsOf(String name) {
    Set<String> result = new TreeSet<>();
    for (OdooModule module : ordered) {
      if (dependenciesOf(module.name()).contains(name)) {
        result.add(module.name());
      }
    }
    return Collections.unmodifiableSet(result);
  }

  /** Kahn's algorithm, always taking the alphabetically first ready module; leftovers form cycles. */
  private static List<OdooModule> topologicalOrder(Map<String, OdooModule> modules, List<String> problems) {
    Map<String, Set<String>> pending = new TreeMap<>();
    Map<String, Set<String>> dependents = new TreeMap<>();
    for (OdooModule module : modules.values()) {
      Set<String> deps = new TreeSet<>(module.depends());
      deps.retainAll(modules.keySet());
      pending.put(module.name(), deps);
      deps.forEach(dep -> dependents.computeIfAbsent(dep, k -> new TreeSet<>()).add(module.name()));
    }
    TreeSet<String> ready = new TreeSet<>();
    pending.forEach((name, deps) -> {
      if (deps.isEmpty()) {
        ready.add(name);
      }
    });
    List<OdooModule> ordered = new ArrayList<>();
    while (!ready.isEmpty()) {
      String next = ready.pollFirst();
      ordered.add(modules.get(next));
      pending.remove(next);
      for (String dependent : dependents.getOrDefault(next, Set.of())) {
        Set<String> deps = pending.get(dependent);
        deps.remove(next);
        if (deps.isEmpty()) {
          ready.add(dependent);
        }
      }
    }
    Set<String> reported = new LinkedHashSet<>();
    for (String start : pending.keySet()) {
      if (!reported.contains(start)) {
        List<String> cycle = cycleFrom(start, pending);
        if (!cycle.isEmpty() && reported.addAll(cycle)) {
          problems.add("dependency cycle: " + String.join(" -> ", cycle) + " -> " + cycle.get(0)
              + "; Odoo cannot install any of these modules");
        }
      }
    }
    return ordered;
  }

  /** Follows unresolved dependencies from {@code start} until a module repeats; returns that loop. */
  private static List<String> cycleFrom(String start, Map<String, Set<String>> pending) {
    List<String> path = new ArrayList<>();
    String current = start;
    while (current != null && !path.contains(current)) {
      path.add(current);
      Set<String> deps = pending.get(current);
      current = deps == null ? null : deps.stream().filter(pending::containsKey).findFirst().orElse(null);
    }
    return current == null ? List.of() : path.subList(path.indexOf(current), path.size());
  }

  /** "top -> … -> module": who, from the top of the graph, pulls {@code module} in. */
  private static String chainTo(String module, Map<String, OdooModule> modules) {
    Deque<String> chain = new ArrayDeque<>(List.of(module));
    String current = module;
    while (true) {
      String lookingFor = current;
      Optional<String> dependent = modules.values().stream()
          .filter(m -> m.depends().contains(lookingFor) && !chain.contains(m.name()))
          .map(OdooModule::name)
          .findFirst();
      if (dependent.isEmpty()) {
        return String.join(" -> ", chain);
      }
      chain.addFirst(dependent.get());
      current = dependent.get();
    }
  }
}
