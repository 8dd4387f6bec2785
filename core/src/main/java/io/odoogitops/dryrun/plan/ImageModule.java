package io.odoogitops.dryrun.plan;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A module as the image ships it; filled by the caller from the image's labels or from parsed manifests.
 *
 * @param version the manifest's version, with or without the series prefix ({@code 1.2.0} or {@code 17.0.1.2.0})
 * @param checksum the module_auto_update style checksum of its files, or null when unknown
 * @param directory the module directory, where {@code migrations/<version>/} scripts live, or null when the files
 *     are not at hand (then no script can be listed)
 */
public record ImageModule(String name, String version, String checksum, Path directory) {

  public ImageModule {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
  }
}
