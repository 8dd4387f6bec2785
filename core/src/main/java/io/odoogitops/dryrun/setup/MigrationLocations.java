package io.odoogitops.dryrun.setup;

import io.odoogitops.ReleaseException;
import java.nio.file.Path;
import java.util.List;

/**
 * Flyway locations as users give them: a bare directory, or a location with a scheme ({@code filesystem:},
 * {@code classpath:}). Relative directories are resolved against a base the caller names (the CLI's working directory,
 * the Jenkins workspace), never against wherever the JVM happens to run: on a Jenkins agent those differ.
 */
public final class MigrationLocations {

  private static final String FILESYSTEM = "filesystem:";

  private MigrationLocations() {
  }

  /** {@code value} as Flyway takes it, with filesystem paths absolute. */
  public static String resolve(String value, Path base) {
    if (value == null || value.isBlank()) {
      throw ReleaseException.badInput("an empty migration location was given; name a directory or a Flyway location"
          + " such as filesystem:addons/my_module/migrations/sql");
    }
    String trimmed = value.trim();
    if (trimmed.startsWith(FILESYSTEM)) {
      return FILESYSTEM + base.resolve(trimmed.substring(FILESYSTEM.length())).toAbsolutePath().normalize();
    }
    // a scheme is lower-case letters and a colon; "C:\..." is a Windows drive, i.e. a directory
    boolean scheme = trimmed.matches("^[a-z]+:.*") && !trimmed.matches("^[A-Za-z]:\\\\.*");
    return scheme ? trimmed : FILESYSTEM + base.resolve(trimmed).toAbsolutePath().normalize();
  }

  /** Every filesystem location must be a directory now, before the clone that would otherwise find out. */
  static List<String> resolveAll(List<String> values, Path base) {
    List<String> locations = values.stream().map(v -> resolve(v, base)).toList();
    for (String location : locations) {
      if (location.startsWith(FILESYSTEM)) {
        InputPaths.requireDirectory(Path.of(location.substring(FILESYSTEM.length())), "migration location");
      }
    }
    return locations;
  }
}
