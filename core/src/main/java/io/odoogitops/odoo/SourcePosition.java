package io.odoogitops.odoo;

/**
 * Where something sits in a source file, 1-based like editors and compilers show it, so that
 * {@code file:line:column} in an error message can be clicked in a terminal or an IDE.
 */
public record SourcePosition(String file, int line, int column) {

  @Override
  public String toString() {
    return file + ":" + line + ":" + column;
  }
}
