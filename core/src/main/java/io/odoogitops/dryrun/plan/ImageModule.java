package io.odoogitops.dryrun.plan;

import io.odoogitops.ReleaseException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A module as the image ships it; filled by the caller from the image's labels or from parsed manifests.
 *
 * @param version the manifest's version, with or without the series prefix ({@code 1.2.0} or {@code 17.0.1.2.0})
 * @param checksum the module_auto_update style checksum of its files, or null when unknown
 * @param directory the module directory, where {@code migrations/<version>/} scripts live, or null when the files
 *     are not at hand (then no script can be listed)
 * @param depends the manifest's {@code depends}: what Odoo installs with it
 * @param autoInstall whether the manifest says {@code auto_install}
 * @param autoInstallTriggers the dependencies whose installation triggers it (all of {@code depends} for
 *     {@code auto_install: True}, the listed ones for a list)
 * @param countries the manifest's {@code countries} (Odoo 17+): an auto_install module limited to them installs
 *     only when a company of the database is in one
 */
public record ImageModule(String name, String version, String checksum, Path directory, List<String> depends,
    boolean autoInstall, Set<String> autoInstallTriggers, List<String> countries) {

  // What a dependency may be called: it ends up in odoo's -i list, where a comma or a dash would be another argument.
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_]{1,128}");

  public ImageModule {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
    depends = List.copyOf(depends == null ? List.of() : depends);
    autoInstallTriggers = Set.copyOf(autoInstallTriggers == null ? Set.of() : autoInstallTriggers);
    countries = List.copyOf(countries == null ? List.of() : countries);
    for (String dependency : depends) {
      if (!NAME.matcher(dependency).matches()) {
        throw ReleaseException.badInput("module " + name + " depends on '" + dependency + "', which is not an Odoo"
            + " module name (letters, digits, _); fix the manifest's depends");
      }
    }
    if (!depends.containsAll(autoInstallTriggers)) {
      throw ReleaseException.badInput("module " + name + ": its auto_install triggers " + autoInstallTriggers
          + " are not all in its depends " + depends + "; Odoo requires the triggers to be dependencies");
    }
  }

  /** A module whose manifest's dependencies are not known: the plan cannot tell what it would install. */
  public ImageModule(String name, String version, String checksum, Path directory) {
    this(name, version, checksum, directory, List.of(), false, Set.of(), List.of());
  }
}
