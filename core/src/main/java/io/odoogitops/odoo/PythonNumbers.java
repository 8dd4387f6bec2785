package io.odoogitops.odoo;

import java.math.BigInteger;
import java.util.Locale;
import java.util.regex.Pattern;

/** Python's numeric literal grammar (underscores, prefixes, floats); complex numbers are refused. */
final class PythonNumbers {

  private static final Pattern DECIMAL = Pattern.compile("[1-9](_?[0-9])*|0(_?0)*");
  private static final Pattern HEX = Pattern.compile("0[xX](_?[0-9a-fA-F])+");
  private static final Pattern OCTAL = Pattern.compile("0[oO](_?[0-7])+");
  private static final Pattern BINARY = Pattern.compile("0[bB](_?[01])+");
  private static final String DIGITS = "[0-9](_?[0-9])*";
  private static final Pattern FLOAT = Pattern.compile(
      "((" + DIGITS + ")?\\.(" + DIGITS + ")([eE][+-]?" + DIGITS + ")?)"
      + "|(" + DIGITS + "\\.([eE][+-]?" + DIGITS + ")?)"
      + "|(" + DIGITS + "[eE][+-]?" + DIGITS + ")");

  private PythonNumbers() {}

  static void validate(String text, SourcePosition at, LiteralTokenizer tokenizer) {
    if (text.toLowerCase(Locale.ROOT).endsWith("j")) {
      throw tokenizer.error(at, "complex number '" + text + "' is not supported in a manifest");
    }
    if (!(isInteger(text) || FLOAT.matcher(text).matches())) {
      String hint = text.matches("0[0-9_]+") ? " (leading zeros are not allowed; use 0o for octal)" : "";
      throw tokenizer.error(at, "invalid number literal '" + text + "'" + hint);
    }
  }

  static boolean isInteger(String text) {
    return DECIMAL.matcher(text).matches() || HEX.matcher(text).matches()
        || OCTAL.matcher(text).matches() || BINARY.matcher(text).matches();
  }

  static BigInteger integerValue(String text) {
    String digits = text.replace("_", "");
    if (digits.length() > 1 && Character.isLetter(digits.charAt(1))) {
      int radix = switch (Character.toLowerCase(digits.charAt(1))) {
        case 'x' -> 16;
        case 'o' -> 8;
        default -> 2;
      };
      return new BigInteger(digits.substring(2), radix);
    }
    return new BigInteger(digits);
  }

  static double floatValue(String text) {
    return Double.parseDouble(text.replace("_", ""));
  }
}
