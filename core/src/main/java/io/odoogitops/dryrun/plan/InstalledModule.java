package io.odoogitops.dryrun.plan;

import io.odoogitops.ReleaseException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A module as the database knows it: {@code ir_module_module} and the checksums module_auto_update stored in
 * {@code ir_config_parameter} when it last upgraded.
 *
 * @param state Odoo's module state: installed, uninstalled, to upgrade, ...
 * @param latestVersion the version installed, always series-prefixed ({@code 17.0.1.2.0}), null if never installed
 * @param checksum the stored checksum, null when module_auto_update is not used
 */
public record InstalledModule(String name, String state, String latestVersion, String checksum) {

  public static final String CHECKSUMS_KEY = "module_auto_update.installed_checksums";

  public boolean installed() {
    return "installed".equals(state) || "to upgrade".equals(state) || "to remove".equals(state);
  }

  /** Reads every module of the database behind {@code c} (the clone). */
  public static Map<String, InstalledModule> read(Connection c) {
    Map<String, String> checksums = checksums(c);
    Map<String, InstalledModule> modules = new LinkedHashMap<>();
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
        "SELECT name, state, latest_version FROM ir_module_module ORDER BY name")) {
      while (rs.next()) {
        String name = rs.getString(1);
        modules.put(name, new InstalledModule(name, rs.getString(2), rs.getString(3), checksums.get(name)));
      }
    } catch (SQLException e) {
      throw ReleaseException.badInput("cannot read ir_module_module from the clone (" + e.getMessage()
          + "); is the source an Odoo database?");
    }
    return modules;
  }

  private static Map<String, String> checksums(Connection c) {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
        "SELECT value FROM ir_config_parameter WHERE key = '" + CHECKSUMS_KEY + "'")) {
      if (!rs.next()) {
        return Map.of();
      }
      Map<String, Object> parsed = new com.fasterxml.jackson.databind.ObjectMapper()
          .readValue(rs.getString(1), new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() { });
      Map<String, String> checksums = new LinkedHashMap<>();
      parsed.forEach((k, v) -> checksums.put(k, v == null ? null : v.toString()));
      return checksums;
    } catch (SQLException e) {
      return Map.of();
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw ReleaseException.badInput("the " + CHECKSUMS_KEY + " parameter of the database is not a JSON object ("
          + e.getOriginalMessage() + ")");
    }
  }
}
