package io.odoogitops.odoo;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random literal values written the many ways Python allows (quote styles, raw strings, escapes, implicit
 * concatenation, hex and underscores, comments, line breaks, trailing commas) must parse back to the same value.
 * The 2,000 generated sources were also fed to CPython's {@code ast.literal_eval} once, which agreed on every value.
 */
class LiteralRoundTripTest {

  private static final String ALPHABET = "abcXYZ019 _-./\\'\"\t\né€😀#{}[]:,";

  @Test
  void everyWayOfWritingAValueParsesBackToIt() {
    Random random = new Random(20261123);
    for (int i = 0; i < 2000; i++) {
      // Wrapped in a list: outside brackets a line break ends the expression, in Python as here.
      Object value = List.of(value(random, 0));
      String source = write(value, random);
      assertThat(plain(LiteralParser.parse("gen.py", source))).as(source).isEqualTo(value);
    }
  }

  private static Object value(Random random, int depth) {
    int kind = depth >= 3 ? random.nextInt(3) : random.nextInt(6);
    switch (kind) {
      case 0: {
        StringBuilder text = new StringBuilder();
        int length = random.nextInt(8);
        for (int i = 0; i < length; i++) {
          text.appendCodePoint(ALPHABET.codePointAt(ALPHABET.offsetByCodePoints(0,
              random.nextInt(ALPHABET.codePointCount(0, ALPHABET.length())))));
        }
        return text.toString();
      }
      case 1:
        return BigInteger.valueOf(random.nextInt(2_000_001) - 1_000_000);
      case 2:
        return random.nextBoolean();
      case 3: {
        List<Object> items = new ArrayList<>();
        for (int i = random.nextInt(4); i > 0; i--) {
          items.add(value(random, depth + 1));
        }
        return items;
      }
      default: {
        Map<Object, Object> map = new LinkedHashMap<>();
        for (int i = random.nextInt(4); i > 0; i--) {
          map.put("k" + random.nextInt(1000), value(random, depth + 1));
        }
        return map;
      }
    }
  }

  private static String write(Object value, Random random) {
    if (value instanceof String s) {
      int half = s.offsetByCodePoints(0, s.codePointCount(0, s.length()) / 2); // never inside a surrogate pair
      return random.nextInt(4) == 0 && half > 0
          ? quote(s.substring(0, half), random) + gap(random) + quote(s.substring(half), random)
          : quote(s, random);
    }
    if (value instanceof BigInteger n) {
      if (n.signum() >= 0 && random.nextBoolean()) {
        return "0x" + n.toString(16);
      }
      String digits = n.abs().toString();
      if (digits.length() > 3 && random.nextBoolean()) {
        digits = digits.substring(0, digits.length() - 3) + "_" + digits.substring(digits.length() - 3);
      }
      return (n.signum() < 0 ? "-" : "") + digits;
    }
    if (value instanceof Boolean b) {
      return b ? "True" : "False";
    }
    if (value instanceof List<?> list) {
      boolean tuple = random.nextBoolean() && !list.isEmpty();
      List<String> parts = new ArrayList<>();
      list.forEach(item -> parts.add(write(item, random)));
      String trailing = (tuple && list.size() == 1) || (!list.isEmpty() && random.nextBoolean()) ? "," : "";
      return (tuple ? "(" : "[") + gap(random) + String.join("," + gap(random), parts) + trailing + gap(random)
          + (tuple ? ")" : "]");
    }
    Map<?, ?> map = (Map<?, ?>) value;
    List<String> parts = new ArrayList<>();
    map.forEach((k, v) -> parts.add(write(k, random) + gap(random) + ":" + gap(random) + write(v, random)));
    return "{" + gap(random) + String.join("," + gap(random), parts) + (!map.isEmpty() && random.nextBoolean() ? "," : "")
        + gap(random) + "}";
  }

  private static String gap(Random random) {
    return switch (random.nextInt(4)) {
      case 0 -> "";
      case 1 -> " ";
      case 2 -> "\n    ";
      default -> "  # a comment with 'quotes' and {braces}\n";
    };
  }

  private static String quote(String s, Random random) {
    boolean raw = random.nextInt(4) == 0 && s.matches("[^\\\\'\\n]*") && !s.isEmpty();
    if (raw) {
      return "r'" + s + "'";
    }
    String quote = random.nextBoolean() ? "'" : "\"";
    StringBuilder out = new StringBuilder(random.nextInt(5) == 0 ? "u" : "").append(quote);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append(random.nextBoolean() ? "\\n" : "\\x0a");
        case '\t' -> out.append(random.nextBoolean() ? "\\t" : "\\011");
        case '\'', '"' -> out.append(String.valueOf(c).equals(quote) ? "\\" + c : String.valueOf(c));
        case 'é' -> out.append(random.nextBoolean() ? "é" : "\\u00e9");
        default -> out.append(c);
      }
    }
    return out.append(quote).toString();
  }

  /** The literal as plain Java values, without positions; tuples and lists alike. */
  private static Object plain(PyLiteral literal) {
    if (literal instanceof PyLiteral.Str s) {
      return s.value();
    }
    if (literal instanceof PyLiteral.Int n) {
      return n.value();
    }
    if (literal instanceof PyLiteral.Bool b) {
      return b.value();
    }
    if (literal instanceof PyLiteral.Sequence seq) {
      return seq.items().stream().map(LiteralRoundTripTest::plain).toList();
    }
    if (literal instanceof PyLiteral.Dict dict) {
      Map<Object, Object> map = new LinkedHashMap<>();
      dict.entries().forEach(e -> map.put(plain(e.key()), plain(e.value())));
      return map;
    }
    return literal;
  }
}
