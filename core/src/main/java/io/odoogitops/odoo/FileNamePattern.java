package io.odoogitops.odoo;

import java.util.regex.Pattern;

/**
 * A shell-style pattern with the exact semantics of Python's {@code fnmatch.fnmatch} on POSIX, which
 * module_auto_update uses for its exclusions: case-sensitive, the whole path must match, and {@code *} also crosses
 * {@code /} (so {@code static/*} excludes {@code static/src/js/app.js}).
 */
public final class FileNamePattern {

  private final String pattern;
  private final Pattern regex;

  private FileNamePattern(String pattern) {
    this.pattern = pattern;
    this.regex = Pattern.compile(translate(pattern), Pattern.DOTALL);
  }

  public static FileNamePattern of(String pattern) {
    return new FileNamePattern(pattern);
  }

  public boolean matches(String path) {
    return regex.matcher(path).matches();
  }

  @Override
  public String toString() {
    return pattern;
  }

  /** Python's {@code fnmatch.translate}: {@code *}, {@code ?}, {@code [seq]}, {@code [!seq]}; an unclosed [ is literal. */
  private static String translate(String pattern) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    int n = pattern.length();
    while (i < n) {
      char c = pattern.charAt(i++);
      if (c == '*') {
        out.append(".*");
      } else if (c == '?') {
        out.append('.');
      } else if (c == '[') {
        int j = i;
        if (j < n && pattern.charAt(j) == '!') {
          j++;
        }
        if (j < n && pattern.charAt(j) == ']') {
          j++;
        }
        while (j < n && pattern.charAt(j) != ']') {
          j++;
        }
        if (j >= n) {
          out.append("\\[");
        } else {
          out.append(characterClass(pattern.substring(i, j)));
          i = j + 1;
        }
      } else {
        out.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return out.toString();
  }

  private static String characterClass(String body) {
    StringBuilder out = new StringBuilder("[");
    int start = 0;
    if (body.startsWith("!")) {
      out.append('^');
      start = 1;
    } else if (body.startsWith("^")) {
      out.append("\\^");
      start = 1;
    }
    for (int k = start; k < body.length(); k++) {
      char c = body.charAt(k);
      // Ranges keep their '-'; every other character is taken literally.
      if (c == '-' && k > start && k < body.length() - 1) {
        out.append('-');
      } else if (Character.isLetterOrDigit(c)) {
        out.append(c);
      } else {
        out.append('\\').append(c);
      }
    }
    return out.append(']').toString();
  }
}
