package io.odoogitops.policy;

import java.util.Locale;

/**
 * How user ids are compared. Case-insensitively, as Jenkins and most identity providers do: otherwise "Alice" could
 * approve what "alice" initiated and walk through the four-eyes rule.
 */
final class UserIds {

  private UserIds() {}

  static String normalize(String user) {
    return user == null ? "" : user.strip().toLowerCase(Locale.ROOT);
  }

  static boolean same(String a, String b) {
    return a != null && b != null && normalize(a).equals(normalize(b));
  }
}
