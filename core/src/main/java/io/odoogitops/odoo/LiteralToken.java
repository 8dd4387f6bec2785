package io.odoogitops.odoo;

/**
 * One token of a Python literal expression.
 *
 * @param text the source text for names, numbers and punctuation; the decoded value for strings
 * @param bytes for strings: written with a {@code b} prefix
 * @param startsLogicalLine the token follows a line break outside any bracket, where Python ends the expression
 */
record LiteralToken(Type type, String text, boolean bytes, SourcePosition position, boolean startsLogicalLine) {

  enum Type { STRING, NUMBER, NAME, PUNCT, END }

  boolean is(String punct) {
    return type == Type.PUNCT && text.equals(punct);
  }

  String describe() {
    return switch (type) {
      case END -> "end of file";
      case STRING -> "string";
      default -> "'" + text + "'";
    };
  }
}
