package io.odoogitops.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Tests need real servers and tools. Outside CI a missing tool skips the test with a reason; with {@code CI=true} it
 * fails, because a green run that silently tested nothing is worse than a red one.
 */
public final class Prerequisites {

  private Prerequisites() {}

  public static boolean inCi() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  /** The executable's path; fails in CI, skips elsewhere, if it is not installed. */
  public static Path requireExecutable(String name, String installHint) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    for (String dir : new String[] {"/usr/bin", "/usr/lib/git-core", "/usr/sbin"}) {
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    String message = name + " is required by this test but not installed (" + installHint + ")";
    if (inCi()) {
      throw new AssertionError(message);
    }
    assumeTrue(false, message);
    return null;
  }
}
