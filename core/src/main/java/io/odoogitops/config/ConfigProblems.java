package io.odoogitops.config;

import io.odoogitops.ReleaseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects every problem of one configuration file before failing, so a user fixes them all in one round instead of
 * one per run. Problems are addressed by JSON pointer and turned into {@code file:line} through {@link YamlLocations}.
 */
public final class ConfigProblems {

  private final String file;
  private final YamlLocations locations;
  private final List<String> problems = new ArrayList<>();

  public ConfigProblems(String file, YamlLocations locations) {
    this.file = file;
    this.locations = locations;
  }

  /**
   * Records a problem.
   *
   * @param pointer JSON pointer of the offending node, e.g. {@code /environments/production/path}
   * @param message the rule that was broken and how to fix it
   */
  public void at(String pointer, String message) {
    problems.add(file + ":" + locations.lineOf(pointer) + ": " + pointerLabel(pointer) + message);
  }

  public boolean isEmpty() {
    return problems.isEmpty();
  }

  public List<String> all() {
    return List.copyOf(problems);
  }

  /** Throws a bad-input error listing every problem, if there is any. */
  public void throwIfAny() {
    if (problems.isEmpty()) {
      return;
    }
    StringBuilder text = new StringBuilder("invalid configuration (")
        .append(problems.size()).append(problems.size() == 1 ? " problem" : " problems").append("):");
    problems.forEach(p -> text.append("\n  ").append(p));
    throw ReleaseException.badInput(text.toString());
  }

  private static String pointerLabel(String pointer) {
    if (pointer.isEmpty() || pointer.equals("/")) {
      return "";
    }
    return pointer.substring(1).replace('/', '.') + ": ";
  }
}
