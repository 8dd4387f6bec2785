package io.odoogitops.odoo;

import java.nio.file.Path;
import java.util.List;

/**
 * A module found in an addons directory.
 *
 * @param name the technical name (the directory name), what {@code depends} and the database refer to
 * @param path the module directory
 * @param checksum module_auto_update-compatible checksum under the rules it was discovered with
 */
public record OdooModule(String name, Path path, Manifest manifest, String checksum) {

  public String version() {
    return manifest.version();
  }

  public List<String> depends() {
    return manifest.depends();
  }

  public boolean installable() {
    return manifest.installable();
  }

  public boolean autoInstall() {
    return manifest.autoInstall();
  }
}
