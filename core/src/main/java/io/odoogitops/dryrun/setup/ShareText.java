package io.odoogitops.dryrun.setup;

import io.odoogitops.ReleaseException;

/**
 * A share of something as people write it: {@code 50%} or {@code 0.5}. Read here once for the CLI and the plugin; the
 * policy checks the range.
 */
public final class ShareText {

  private ShareText() {
  }

  /**
   * @param what how to name the value in the error, e.g. {@code --max-rows-rewritten}
   * @throws ReleaseException bad input when {@code text} is neither a percentage nor a fraction
   */
  public static double parse(String text, String what) {
    String value = text == null ? "" : text.trim();
    try {
      if (value.endsWith("%")) {
        return Double.parseDouble(value.substring(0, value.length() - 1).trim()) / 100;
      }
      if (!value.isEmpty() && !value.matches(".*[a-zA-Z].*")) {
        // no letters: refuses NaN, Infinity and 1e2-style surprises
        return Double.parseDouble(value);
      }
    } catch (NumberFormatException e) {
      // reported below with the grammar
    }
    throw ReleaseException.badInput(what + " '" + text + "' is not a share like 50% or 0.5");
  }
}
