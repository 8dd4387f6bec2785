package io.odoogitops.dryrun.lint;

import java.util.ArrayList;
import java.util.List;

/**
 * One statement of a migration file, with comments, literals and quoted names blanked out so that a word inside them
 * ({@code -- DROP TABLE later}, {@code E'it\'s; DROP TABLE x'}, {@code "not null"}) never triggers a rule.
 *
 * <p>The lexer follows PostgreSQL's with {@code standard_conforming_strings = on} (the default since 9.1):
 * {@code '...'} with {@code ''} escapes; {@code E'...'} with backslash escapes as well; {@code "..."} identifiers with
 * {@code ""} escapes; dollar quoting {@code $tag$...$tag$}; {@code --} comments to the end of the line and
 * {@code /* *}{@code /} comments, which nest.
 *
 * @param line 1-based line where it starts
 * @param code the statement with comments removed, every string literal written {@code ''}, every quoted identifier
 *     written {@code ""} (an empty quoted name is not valid SQL, so it stands for "some name"), every dollar-quoted
 *     body written {@code $BODY$}, whitespace collapsed, upper-cased
 * @param excerpt the original text on one line, at most 120 characters, for reports
 */
public record SqlStatement(int line, String code, String excerpt) {

  /** Splits {@code sql} on semicolons outside comments, quotes and dollar-quoted bodies. */
  public static List<SqlStatement> split(String sql) {
    return new Splitter(sql).split();
  }

  /** One pass over the text; {@code i} always points at the next character not yet consumed. */
  private static final class Splitter {
    private final String sql;
    private final List<SqlStatement> statements = new ArrayList<>();
    private final StringBuilder code = new StringBuilder();
    private final StringBuilder original = new StringBuilder();
    private int i;
    private int line = 1;
    private int startLine = -1;

    Splitter(String sql) {
      this.sql = sql;
    }

    List<SqlStatement> split() {
      while (i < sql.length()) {
        char ch = sql.charAt(i);
        if (ch == '-' && at(i + 1, '-')) {
          int end = sql.indexOf('\n', i);
          skip(end < 0 ? sql.length() : end);
        } else if (ch == '/' && at(i + 1, '*')) {
          skip(blockCommentEnd(i));
        } else if ((ch == 'E' || ch == 'e') && at(i + 1, '\'') && !identifierPart(i - 1)) {
          literal(quoteEnd(i + 1, '\'', true), "''");
        } else if (ch == '\'') {
          literal(quoteEnd(i, '\'', false), "''");
        } else if (ch == '"') {
          literal(quoteEnd(i, '"', false), "\"\"");
        } else if (ch == '$' && !identifierPart(i - 1) && dollarTagEnd(i) > 0) {
          int tagEnd = dollarTagEnd(i);
          String tag = sql.substring(i, tagEnd);
          int close = sql.indexOf(tag, tagEnd);
          literal(close < 0 ? sql.length() : close + tag.length(), " $BODY$ ");
        } else if (ch == ';') {
          flush();
          i++;
        } else {
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
      }
      flush();
      return statements;
    }

    private boolean at(int index, char expected) {
      return index < sql.length() && sql.charAt(index) == expected;
    }

    /** Whether the character at {@code index} continues a word, so that a following quote is not a prefix's. */
    private boolean identifierPart(int index) {
      if (index < 0) {
        return false;
      }
      char ch = sql.charAt(index);
      return Character.isLetterOrDigit(ch) || ch == '_' || ch == '$';
    }

    /** A comment leaves a word boundary behind and nothing else. */
    private void skip(int end) {
      line += newlines(i, end);
      code.append(' ');
      i = end;
    }

    /** A literal or quoted name is part of the statement: kept in the excerpt, replaced by a placeholder in code. */
    private void literal(int end, String placeholder) {
      if (startLine < 0) {
        startLine = line;
      }
      line += newlines(i, end);
      original.append(sql, i, end);
      code.append(placeholder);
      i = end;
    }

    private int blockCommentEnd(int start) {
      int depth = 0;
      int j = start;
      while (j < sql.length()) {
        if (sql.startsWith("/*", j)) {
          depth++;
          j += 2;
        } else if (sql.startsWith("*/", j)) {
          depth--;
          j += 2;
          if (depth == 0) {
            return j;
          }
        } else {
          j++;
        }
      }
      return sql.length();
    }

    /** End (exclusive) of the quoted text opening at {@code start}; doubled quotes, and backslashes if asked, escape. */
    private int quoteEnd(int start, char quote, boolean backslashEscapes) {
      int j = start + 1;
      while (j < sql.length()) {
        char ch = sql.charAt(j);
        if (backslashEscapes && ch == '\\') {
          j += 2;
        } else if (ch == quote) {
          if (!at(j + 1, quote)) {
            return j + 1;
          }
          j += 2;
        } else {
          j++;
        }
      }
      return sql.length();
    }

    /** End (exclusive) of a {@code $tag$} opening at {@code start}, or -1 when it is not one ({@code $1}). */
    private int dollarTagEnd(int start) {
      int j = start + 1;
      while (j < sql.length()) {
        char ch = sql.charAt(j);
        if (ch == '$') {
          return j + 1;
        }
        boolean allowed = Character.isLetter(ch) || ch == '_' || (j > start + 1 && Character.isDigit(ch));
        if (!allowed) {
          return -1;
        }
        j++;
      }
      return -1;
    }

    private void flush() {
      String normalized = code.toString().replaceAll("\\s+", " ").trim();
      if (!normalized.isEmpty()) {
        String text = original.toString().replaceAll("\\s+", " ").trim();
        statements.add(new SqlStatement(startLine, normalized,
            text.length() > 120 ? text.substring(0, 117) + "..." : text));
      }
      code.setLength(0);
      original.setLength(0);
      startLine = -1;
    }

    private int newlines(int from, int to) {
      int n = 0;
      for (int j = from; j < Math.min(to, sql.length()); j++) {
        if (sql.charAt(j) == '\n') {
          n++;
        }
      }
      return n;
    }
  }
}
