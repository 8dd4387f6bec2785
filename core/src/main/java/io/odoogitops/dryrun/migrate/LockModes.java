package io.odoogitops.dryrun.migrate;

import java.util.List;

/** PostgreSQL's table lock modes, weakest first, as {@code pg_locks.mode} names them. */
public final class LockModes {

  public static final String ACCESS_EXCLUSIVE = "AccessExclusiveLock";
  public static final String SHARE_ROW_EXCLUSIVE = "ShareRowExclusiveLock";
  /**
   * The weakest mode that blocks writers (it conflicts with ROW EXCLUSIVE): a non-concurrent {@code CREATE INDEX}
   * takes it on its table, and every INSERT, UPDATE and DELETE of the table waits for the whole build.
   */
  public static final String SHARE = "ShareLock";
  /** The weakest mode that changes rows: who holds it on a table is who writes to it. */
  public static final String ROW_EXCLUSIVE = "RowExclusiveLock";

  static final List<String> STRENGTH = List.of("AccessShareLock", "RowShareLock", ROW_EXCLUSIVE,
      "ShareUpdateExclusiveLock", SHARE, SHARE_ROW_EXCLUSIVE, "ExclusiveLock", ACCESS_EXCLUSIVE);

  private LockModes() {
  }

  /** Position in {@link #STRENGTH}; unknown modes (advisory, page) rank below every table lock. */
  public static int strength(String mode) {
    return STRENGTH.indexOf(mode);
  }

  public static boolean atLeast(String mode, String threshold) {
    return strength(mode) >= strength(threshold);
  }

  /** SHARE or stronger: no INSERT, UPDATE or DELETE of the relation's table can proceed while it is held. */
  public static boolean blocksWriters(String mode) {
    return atLeast(mode, SHARE);
  }

  /** The mode as PostgreSQL's documentation and {@code LOCK TABLE} name it: {@code ShareLock} is SHARE. */
  public static String sqlName(String mode) {
    String bare = mode.endsWith("Lock") ? mode.substring(0, mode.length() - 4) : mode;
    return bare.replaceAll("([a-z])([A-Z])", "$1 $2").toUpperCase(java.util.Locale.ROOT);
  }

  public static String stronger(String a, String b) {
    return a == null ? b : b == null ? a : strength(b) > strength(a) ? b : a;
  }
}
