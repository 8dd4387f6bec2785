package io.odoogitops.dryrun.lint;

import java.util.ArrayList;
import java.util.List;

/**
 * One statement of a migration file, with comments and string contents blanked out so that a word inside a comment
 * or a literal ({@code -- DROP TABLE later}) never triggers a rule.
 *
 * @param line 1-based line where it starts
 * @param code the statement as written, comments and literals blanked, whitespace collapsed, upper-cased
 * @param excerpt the original text on one line, at most 120 characters, for reports
 */
public record SqlStatement(int line, String code, String excerpt) {

  /** Splits {@code sql} on semicolons outside comments, quotes and dollar-quoted bodies. */
  public static List<SqlStatement> split(String sql) {
    List<SqlStatement> statements = new ArrayList<>();
    StringBuilder code = new StringBuilder();
    StringBuilder original = new StringBuilder();
    int line = 1;
    int startLine = -1;
    int i = 0;
    while (i < sql.length()) {
      char ch = sql.charAt(i);
      if (ch == '-' && i + 1 < sql.length() && sql.charAt(i + 1) == '-') {
        int end = sql.indexOf('\n', i);
        i = end < 0 ? sql.length() : end;
        code.append(' ');
        continue;
      }
      if (ch == '/' && i + 1 < sql.length() && sql.charAt(i + 1) == '*') {
        int end = sql.indexOf("*/", i + 2);
        int stop = end < 0 ? sql.length() : end + 2;
        line += count(sql, i, stop);
        i = stop;
        code.append(' ');
        continue;
      }
      if (ch == '\'' || ch == '"') {
        int end = closing(sql, i, ch);
        if (startLine < 0) {
          startLine = line;
        }
        line += count(sql, i, end);
        original.append(sql, i, end);
        // identifiers stay (they name tables), string contents do not
        code.append(ch == '"' ? sql.substring(i, end).toUpperCase() : "''");
        i = end;
        continue;
      }
      if (ch == '$') {
        int tagEnd = sql.indexOf('$', i + 1);
        if (tagEnd > 0 && sql.substring(i + 1, tagEnd).matches("[A-Za-z_]*")) {
          String tag = sql.substring(i, tagEnd + 1);
          int end = sql.indexOf(tag, tagEnd + 1);
          int stop = end < 0 ? sql.length() : end + tag.length();
          if (startLine < 0) {
            startLine = line;
          }
          line += count(sql, i, stop);
          original.append(sql, i, stop);
          code.append(" $BODY$ ");
          i = stop;
          continue;
        }
      }
      if (ch == ';') {
        add(statements, startLine, code, original);
        startLine = -1;
        i++;
        continue;
      }
      if (ch == '\n') {
        line++;
      }
      if (!Character.isWhitespace(ch) && startLine < 0) {
        startLine = line;
      }
      code.append(Character.toUpperCase(ch));
      original.append(ch);
      i++;
    }
    add(statements, startLine, code, original);
    return statements;
  }

  private static void add(List<SqlStatement> statements, int line, StringBuilder code, StringBuilder original) {
    String normalized = code.toString().replaceAll("\\s+", " ").trim();
    if (!normalized.isEmpty()) {
      String text = original.toString().replaceAll("\\s+", " ").trim();
      statements.add(new SqlStatement(line, normalized, text.length() > 120 ? text.substring(0, 117) + "..." : text));
    }
    code.setLength(0);
    original.setLength(0);
  }

  private static int closing(String sql, int start, char quote) {
    int i = start + 1;
    while (i < sql.length()) {
      if (sql.charAt(i) == quote) {
        if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
          i += 2;
          continue;
        }
        return i + 1;
      }
      i++;
    }
    return sql.length();
  }

  private static int count(String sql, int from, int to) {
    int n = 0;
    for (int i = from; i < to; i++) {
      if (sql.charAt(i) == '\n') {
        n++;
      }
    }
    return n;
  }
}
