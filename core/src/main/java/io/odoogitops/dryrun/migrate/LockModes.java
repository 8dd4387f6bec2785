package io.odoogitops.dryrun.migrate;

import java.util.List;

/** PostgreSQL's table lock modes, weakest first, as {@code pg_locks.mode} names them. */
public final class LockModes {

  public static final String ACCESS_EXCLUSIVE = "AccessExclusiveLock";
  public static final String SHARE_ROW_EXCLUSIVE = "ShareRowExclusiveLock";
  /** The weakest mode that changes rows: who holds it on a table is who writes to it. */
  public static final String ROW_EXCLUSIVE = "RowExclusiveLock";

  static final List<String> STRENGTH = List.of("AccessShareLock", "RowShareLock", ROW_EXCLUSIVE,
      "ShareUpdateExclusiveLock", "ShareLock", SHARE_ROW_EXCLUSIVE, "ExclusiveLock", ACCESS_EXCLUSIVE);

  private LockModes() {
  }

  /** Position in {@link #STRENGTH}; unknown modes (advisory, page) rank below every table lock. */
  public static int strength(String mode) {
    return STRENGTH.indexOf(mode);
  }

  public static boolean atLeast(String mode, String threshold) {
    return strength(mode) >= strength(threshold);
  }

  public static String stronger(String a, String b) {
    return a == null ? b : b == null ? a : strength(b) > strength(a) ? b : a;
  }
}
