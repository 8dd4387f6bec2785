package io.odoogitops.odoo;

import java.util.Comparator;

/** The few bits of Python's path and string behaviour that the checksum must reproduce byte for byte. */
final class PythonPaths {

  /** Python compares str by code point; Java's compareTo by UTF-16 unit, which differs above U+FFFF. */
  static final Comparator<String> CODE_POINT_ORDER = (a, b) -> {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  };

  private PythonPaths() {}

  /** {@code os.path.splitext}: leading dots belong to the name, so {@code .po} has no extension. */
  static String[] splitExtension(String fileName) {
    int dot = fileName.lastIndexOf('.');
    for (int i = 0; i < dot; i++) {
      if (fileName.charAt(i) != '.') {
        return new String[] {fileName.substring(0, dot), fileName.substring(dot)};
      }
    }
    return new String[] {fileName, ""};
  }
}
