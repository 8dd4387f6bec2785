package io.odoogitops.config;

import java.util.Optional;

/**
 * Lexical rules for paths inside the GitOps repository. Symlinks are checked where the tree is read; this refuses
 * what can be refused without one.
 */
public final class RepoPath {

  private RepoPath() {}

  /** Why {@code path} is not a safe repository-relative path, or empty if it is. */
  public static Optional<String> problem(String path) {
    if (path.isBlank()) {
      return Optional.of("must not be empty");
    }
    if (path.startsWith("/") || path.matches("^[A-Za-z]:.*") || path.startsWith("\\")) {
      return Optional.of("'" + path + "' is absolute; write it relative to the repository root, e.g. envs/production");
    }
    if (path.contains("\\")) {
      return Optional.of("'" + path + "' contains a backslash; use '/' as separator");
    }
    for (String segment : path.split("/", -1)) {
      if (segment.equals("..")) {
        return Optional.of("'" + path + "' escapes the repository with '..'; paths must stay inside it");
      }
      if (segment.equals(".git")) {
        return Optional.of("'" + path + "' points into .git; name a directory of manifests");
      }
    }
    return Optional.empty();
  }

  /** Normalizes a checked path: no leading "./", no empty or "." segments, no trailing slash. */
  public static String normalize(String path) {
    StringBuilder out = new StringBuilder();
    for (String segment : path.split("/")) {
      if (segment.isEmpty() || segment.equals(".")) {
        continue;
      }
      if (out.length() > 0) {
        out.append('/');
      }
      out.append(segment);
    }
    return out.toString();
  }
}
