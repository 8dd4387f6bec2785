package io.odoogitops.dryrun.neutralize;

import io.odoogitops.ReleaseException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The modules {@code odoo neutralize} runs files for (state installed, to upgrade or to remove) and the order it
 * loads them in: by depth in the dependency graph, then by name. {@code odoo neutralize} itself reads the modules
 * without an ORDER BY, so no file Odoo ships can rely on another order; the load order is deterministic and runs
 * a module's file after those of the modules it extends ({@code payment} before {@code payment_stripe}).
 */
final class OdooModuleOrder {

  private static final Pattern SERIES = Pattern.compile("^(?:saas~)?(\\d+)\\.(\\d+)");

  private OdooModuleOrder() {
  }

  /** The major version of the database's {@code base} module, e.g. 17; empty when it cannot be told. */
  static Optional<Integer> majorVersion(Connection c, Set<String> columns) throws SQLException {
    if (!columns.contains("ir_module_module.latest_version")) {
      return Optional.empty();
    }
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
        "SELECT latest_version FROM ir_module_module WHERE name = 'base' AND latest_version IS NOT NULL")) {
      if (!rs.next()) {
        return Optional.empty();
      }
      Matcher m = SERIES.matcher(rs.getString(1));
      return m.find() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
    }
  }

  static List<String> installed(Connection c, Set<String> columns) throws SQLException {
    Map<String, Set<String>> dependencies = new TreeMap<>();
    boolean withDependencies = columns.contains("ir_module_module_dependency.module_id")
        && columns.contains("ir_module_module_dependency.name");
    String sql = withDependencies
        ? "SELECT m.name, d.name FROM ir_module_module m LEFT JOIN ir_module_module_dependency d"
            + " ON d.module_id = m.id WHERE m.state IN ('installed', 'to upgrade', 'to remove')"
        : "SELECT name, NULL FROM ir_module_module WHERE state IN ('installed', 'to upgrade', 'to remove')";
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        Set<String> deps = dependencies.computeIfAbsent(rs.getString(1), k -> new LinkedHashSet<>());
        if (rs.getString(2) != null) {
          deps.add(rs.getString(2));
        }
      }
    }
    Map<String, Integer> depths = new HashMap<>();
    for (String module : dependencies.keySet()) {
      depth(module, dependencies, depths, new LinkedHashSet<>());
    }
    List<String> ordered = new ArrayList<>(dependencies.keySet());
    ordered.sort(Comparator.comparing((String m) -> depths.get(m)).thenComparing(Comparator.naturalOrder()));
    return ordered;
  }

  /** 0 for a module depending on no installed module, else one more than its deepest installed dependency. */
  private static int depth(String module, Map<String, Set<String>> dependencies, Map<String, Integer> depths,
      Set<String> visiting) {
    Integer known = depths.get(module);
    if (known != null) {
      return known;
    }
    if (!visiting.add(module)) {
      throw ReleaseException.badInput("the installed modules " + String.join(" → ", visiting) + " → " + module
          + " depend on each other in a cycle, which Odoo cannot load; the database's ir_module_module_dependency"
          + " is inconsistent");
    }
    int depth = 0;
    for (String dependency : dependencies.get(module)) {
      if (dependencies.containsKey(dependency)) {
        depth = Math.max(depth, depth(dependency, dependencies, depths, visiting) + 1);
      }
    }
    visiting.remove(module);
    depths.put(module, depth);
    return depth;
  }
}
