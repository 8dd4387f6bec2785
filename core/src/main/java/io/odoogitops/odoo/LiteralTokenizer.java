package io.odoogitops.odoo;

import io.odoogitops.ReleaseException;
import io.odoogitops.odoo.LiteralToken.Type;
import java.util.Locale;

/**
 * Splits the text of a {@code __manifest__.py} into Python tokens: strings (with every prefix, quote style and escape
 * Python knows, decoded), numbers, names and punctuation; comments, blank lines and backslash continuations vanish.
 * Line endings are normalised to {@code \n} first, as Python's reader does, so a CRLF checkout parses the same.
 */
final class LiteralTokenizer {

  private static final String PUNCTUATION = "{}[](),:-+";

  private final String file;
  private final String src;
  private int pos;
  private int line = 1;
  private int lineStart;
  private int depth;

  LiteralTokenizer(String file, String source) {
    this.file = file;
    if (source.startsWith("\uFEFF")) {
      // Odoo 16-18 open manifests as plain UTF-8, so the mark reaches ast.literal_eval, which rejects U+FEFF.
      throw ReleaseException.badInput(new SourcePosition(file, 1, 1) + ": the manifest starts with a UTF-8 byte"
          + " order mark (BOM), on which Odoo fails to load it (invalid non-printable character U+FEFF); save it as"
          + " UTF-8 without BOM");
    }
    this.src = source.replace("\r\n", "\n").replace('\r', '\n');
  }

  LiteralToken next() {
    boolean newline = skipBlanks();
    SourcePosition at = here();
    if (pos >= src.length()) {
      return new LiteralToken(Type.END, "", false, at, newline);
    }
    char c = src.charAt(pos);
    if (Character.isDigit(c) || (c == '.' && pos + 1 < src.length() && Character.isDigit(src.charAt(pos + 1)))) {
      return new LiteralToken(Type.NUMBER, number(at), false, at, newline);
    }
    if (Character.isUnicodeIdentifierStart(c) || c == '_') {
      int start = pos;
      while (pos < src.length() && Character.isUnicodeIdentifierPart(src.charAt(pos))) {
        pos++;
      }
      String word = src.substring(start, pos);
      if (pos < src.length() && (src.charAt(pos) == '\'' || src.charAt(pos) == '"')) {
        return stringWithPrefix(word, at, newline);
      }
      return new LiteralToken(Type.NAME, word, false, at, newline);
    }
    if (c == '\'' || c == '"') {
      return stringWithPrefix("", at, newline);
    }
    if (PUNCTUATION.indexOf(c) >= 0) {
      pos++;
      if ("{[(".indexOf(c) >= 0) {
        depth++;
      } else if ("}])".indexOf(c) >= 0 && depth > 0) {
        depth--;
      }
      return new LiteralToken(Type.PUNCT, String.valueOf(c), false, at, newline);
    }
    // Operators, attribute access, calls and the like: report the whole operator for a readable message.
    int start = pos;
    while (pos < src.length() && "*/%&|^~<>=!.@;".indexOf(src.charAt(pos)) >= 0) {
      pos++;
    }
    if (pos == start) {
      pos++;
    }
    return new LiteralToken(Type.PUNCT, src.substring(start, pos), false, at, newline);
  }

  /** Skips spaces, comments and continuations; tells whether a line ended outside brackets on the way. */
  private boolean skipBlanks() {
    boolean newline = false;
    while (pos < src.length()) {
      char c = src.charAt(pos);
      if (c == '\n') {
        newline |= depth == 0;
        newLine(pos + 1);
        pos++;
      } else if (c == ' ' || c == '\t' || c == '\f') {
        pos++;
      } else if (c == '#') {
        while (pos < src.length() && src.charAt(pos) != '\n') {
          pos++;
        }
      } else if (c == '\\' && pos + 1 < src.length() && src.charAt(pos + 1) == '\n') {
        newLine(pos + 2);
        pos += 2;
      } else if (c == '\\') {
        throw error(here(), "unexpected character after line continuation character");
      } else {
        break;
      }
    }
    return newline;
  }

  private String number(SourcePosition at) {
    int start = pos;
    String lower = src.substring(pos, Math.min(pos + 2, src.length())).toLowerCase(Locale.ROOT);
    if (lower.equals("0x") || lower.equals("0o") || lower.equals("0b")) {
      pos += 2;
    }
    while (pos < src.length()) {
      char c = src.charAt(pos);
      boolean exponentSign = (c == '+' || c == '-') && pos > start
          && Character.toLowerCase(src.charAt(pos - 1)) == 'e' && !isHex(src, start);
      if (Character.isLetterOrDigit(c) || c == '_' || c == '.' || exponentSign) {
        pos++;
      } else {
        break;
      }
    }
    String text = src.substring(start, pos);
    PythonNumbers.validate(text, at, this);
    return text;
  }

  private static boolean isHex(String src, int start) {
    return src.regionMatches(true, start, "0x", 0, 2);
  }

  private LiteralToken stringWithPrefix(String prefix, SourcePosition at, boolean newline) {
    String p = prefix.toLowerCase(Locale.ROOT);
    if (p.contains("f")) {
      throw error(at, "f-strings are evaluated code, not literals; write a plain string");
    }
    if (!(p.isEmpty() || p.equals("r") || p.equals("u") || p.equals("b") || p.equals("br") || p.equals("rb"))) {
      throw error(at, "invalid string prefix '" + prefix + "'");
    }
    boolean raw = p.contains("r");
    boolean bytes = p.contains("b");
    char quote = src.charAt(pos);
    boolean triple = src.startsWith(String.valueOf(quote).repeat(3), pos);
    pos += triple ? 3 : 1;
    StringBuilder out = new StringBuilder();
    while (true) {
      if (pos >= src.length()) {
        throw error(at, triple ? "unterminated triple-quoted string literal"
            : "unterminated string literal");
      }
      char c = src.charAt(pos);
      if (c == quote && (!triple || src.startsWith(String.valueOf(quote).repeat(3), pos))) {
        pos += triple ? 3 : 1;
        break;
      }
      if (c == '\n') {
        if (!triple) {
          throw error(at, "unterminated string literal (a line ends inside it; use triple quotes for text "
              + "over several lines)");
        }
        out.append('\n');
        newLine(pos + 1);
        pos++;
        continue;
      }
      if (c == '\\') {
        escape(out, raw, bytes);
        continue;
      }
      if (bytes && c > 0x7f) {
        throw error(here(), "bytes can only contain ASCII literal characters");
      }
      out.append(c);
      pos++;
    }
    return new LiteralToken(Type.STRING, out.toString(), bytes, at, newline);
  }

  /** Decodes one backslash escape at {@code pos}, exactly as Python does for str and bytes literals. */
  private void escape(StringBuilder out, boolean raw, boolean bytes) {
    SourcePosition at = here();
    if (pos + 1 >= src.length()) {
      pos++;
      out.append('\\');
      return;
    }
    char e = src.charAt(pos + 1);
    if (raw) {
      // A raw string keeps the backslash, but the escaped character still cannot end the string.
      out.append('\\').append(e);
      if (e == '\n') {
        newLine(pos + 2);
      }
      pos += 2;
      return;
    }
    pos += 2;
    switch (e) {
      case '\n' -> newLine(pos);
      case '\\' -> out.append('\\');
      case '\'' -> out.append('\'');
      case '"' -> out.append('"');
      case 'a' -> out.append('\u0007');
      case 'b' -> out.append('\b');
      case 'f' -> out.append('\f');
      case 'n' -> out.append('\n');
      case 'r' -> out.append('\r');
      case 't' -> out.append('\t');
      case 'v' -> out.append('\u000b');
      case 'x' -> out.appendCodePoint(hexDigits(2, at, "\\x"));
      case '0', '1', '2', '3', '4', '5', '6', '7' -> {
        int value = e - '0';
        for (int i = 0; i < 2 && pos < src.length() && src.charAt(pos) >= '0' && src.charAt(pos) <= '7'; i++) {
          value = value * 8 + (src.charAt(pos++) - '0');
        }
        if (bytes && value > 0xff) {
          throw error(at, "octal escape value \\" + Integer.toOctalString(value) + " is out of range for bytes");
        }
        out.appendCodePoint(value);
      }
      case 'u', 'U', 'N' -> {
        if (bytes) {
          out.append('\\').append(e); // not escapes in bytes literals
        } else if (e == 'N') {
          out.appendCodePoint(namedCharacter(at));
        } else {
          out.appendCodePoint(hexDigits(e == 'u' ? 4 : 8, at, "\\" + e));
        }
      }
      default -> out.append('\\').append(e); // unknown escapes stay as written (Python only warns)
    }
  }

  private int hexDigits(int count, SourcePosition at, String escape) {
    if (pos + count > src.length()) {
      throw error(at, "truncated " + escape + " escape");
    }
    String digits = src.substring(pos, pos + count);
    if (!digits.chars().allMatch(ch -> Character.digit(ch, 16) >= 0)) {
      throw error(at, "truncated " + escape + " escape");
    }
    pos += count;
    int value = (int) Long.parseLong(digits, 16);
    if (!Character.isValidCodePoint(value)) {
      throw error(at, "illegal Unicode character in " + escape + " escape");
    }
    return value;
  }

  private int namedCharacter(SourcePosition at) {
    int close = src.indexOf('}', pos);
    if (pos >= src.length() || src.charAt(pos) != '{' || close < 0) {
      throw error(at, "malformed \\N character escape");
    }
    String name = src.substring(pos + 1, close);
    pos = close + 1;
    try {
      return Character.codePointOf(name);
    } catch (IllegalArgumentException unknown) {
      throw error(at, "unknown Unicode character name '" + name + "'");
    }
  }

  private void newLine(int startOfNextLine) {
    line++;
    lineStart = startOfNextLine;
  }

  private SourcePosition here() {
    return new SourcePosition(file, line, pos - lineStart + 1);
  }

  ReleaseException error(SourcePosition at, String message) {
    return ReleaseException.badInput(at + ": " + message);
  }
}
