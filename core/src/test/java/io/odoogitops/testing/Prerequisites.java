package io.odoogitops.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tests need real servers and tools. Outside CI a missing tool skips the tests that need it and says so in one line
 * naming the tool and its Debian package; with {@code CI=true} it fails them, because a green run that silently tested
 * nothing is worse than a red one. README's test command ({@code ./scripts/test}) installs every tool listed here.
 */
public final class Prerequisites {

  /** The tools tests run, each with the Debian package that installs it (keep in step with scripts/test). */
  public enum Tool {
    GIT("git", "git"),
    DOCKER_REGISTRY("docker-registry", "docker-registry"),
    SKOPEO("skopeo", "skopeo"),
    PG_DUMP("pg_dump", "postgresql-client"),
    SSH_KEYGEN("ssh-keygen", "openssh-client"),
    GPG("gpg", "gnupg");

    private final String executable;
    private final String debianPackage;

    Tool(String executable, String debianPackage) {
      this.executable = executable;
      this.debianPackage = debianPackage;
    }

    public String executable() {
      return executable;
    }

    public String debianPackage() {
      return debianPackage;
    }
  }

  private static final Set<Tool> ANNOUNCED = ConcurrentHashMap.newKeySet();

  private Prerequisites() {}

  public static boolean inCi() {
    return inCi(System.getenv());
  }

  static boolean inCi(Map<String, String> environment) {
    return "true".equalsIgnoreCase(environment.get("CI"));
  }

  /** The tool's path; if it is missing, fails the test with {@code CI=true} and skips it otherwise. */
  public static Path require(Tool tool) {
    Optional<Path> found = locate(tool, System.getenv());
    if (found.isPresent()) {
      return found.get();
    }
    if (inCi()) {
      throw new AssertionError(missingInCi(List.of(tool)));
    }
    announce(tool);
    assumeTrue(false, skipped(tool));
    return null;
  }

  /** The tools of {@code tools} that are not installed, in order. */
  static List<Tool> missing(Tool[] tools, Map<String, String> environment) {
    List<Tool> missing = new ArrayList<>();
    for (Tool tool : tools) {
      if (locate(tool, environment).isEmpty() && !missing.contains(tool)) {
        missing.add(tool);
      }
    }
    return missing;
  }

  static Optional<Path> locate(Tool tool, Map<String, String> environment) {
    List<String> dirs = new ArrayList<>(List.of(environment.getOrDefault("PATH", "").split(":")));
    // Debian keeps some tools off a non-root PATH (sbin) or out of it (git-core).
    dirs.addAll(List.of("/usr/bin", "/bin", "/usr/sbin", "/usr/lib/git-core"));
    for (String dir : dirs) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, tool.executable());
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** Prints the tool's one line the first time a test of this run skips for it. */
  static void announce(Tool tool) {
    if (ANNOUNCED.add(tool)) {
      System.err.println("[prerequisite] " + skipped(tool));
    }
  }

  static String skipped(Tool tool) {
    return tool.executable() + " is not installed, so the tests that need it are SKIPPED: install the Debian package "
        + tool.debianPackage() + " (apt-get install " + tool.debianPackage() + "), or run README's test command "
        + "'./scripts/test', which installs it";
  }

  static String missingInCi(List<Tool> tools) {
    List<String> lines = new ArrayList<>();
    for (Tool tool : tools) {
      lines.add("CI=true and " + tool.executable() + " is not installed: install the Debian package "
          + tool.debianPackage() + " (README's test command './scripts/test' installs it); tests never skip in CI");
    }
    return String.join("\n", lines);
  }
}
