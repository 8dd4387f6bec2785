package io.odoogitops.gitops.manifest;

import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;

/** Writes a string scalar in the style the file already used, quoting only where YAML would misread the value. */
final class ScalarStyle {

  // Conservative: what image references, tags and digests look like. Anything else is quoted.
  private static final Pattern PLAIN_SAFE = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_./@+-]*(:[A-Za-z0-9_./@+-]+)*");
  // Plain scalars YAML 1.1 would resolve to something other than a string.
  private static final Pattern NOT_A_STRING = Pattern.compile(
      "[-+]?[0-9][0-9_]*(\\.[0-9_]*)?([eE][-+]?[0-9]+)?|[0-9]+(:[0-5]?[0-9])+(\\.[0-9_]*)?"
          + "|(?i:y|n|yes|no|true|false|on|off|null|~)|0x[0-9a-fA-F_]+|0b[01_]+|\\.[0-9]+|[-+]?\\.(?i:inf)|\\.(?i:nan)"
          + "|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}.*");

  private ScalarStyle() {}

  static String render(DumperOptions.ScalarStyle style, String value, boolean flowContext) {
    return switch (style) {
      case SINGLE_QUOTED -> "'" + value.replace("'", "''") + "'";
      case DOUBLE_QUOTED -> doubleQuoted(value);
      case PLAIN -> isPlainSafe(value, flowContext) ? value : doubleQuoted(value);
      // A block scalar for an image reference carries a trailing newline; replacing it with a quoted scalar keeps
      // the document valid without guessing the block's indentation rules.
      default -> doubleQuoted(value);
    };
  }

  static boolean isPlainSafe(String value, boolean flowContext) {
    if (!PLAIN_SAFE.matcher(value).matches() || NOT_A_STRING.matcher(value).matches()) {
      return false;
    }
    // Inside flow collections a ':' is only harmless when not followed by a space, which PLAIN_SAFE guarantees.
    return !flowContext || !value.contains(",");
  }

  private static String doubleQuoted(String value) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : value.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\t' -> out.append("\\t");
        default -> out.append(c);
      }
    }
    return out.append('"').toString();
  }
}
