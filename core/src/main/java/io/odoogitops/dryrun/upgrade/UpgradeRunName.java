package io.odoogitops.dryrun.upgrade;

import java.security.SecureRandom;

/**
 * The name of one {@code odoo -u} run, whichever runner: {@code odoo-upgrade-} and eight random lower-case letters
 * and digits. Valid as a Kubernetes Job name and as a Docker container name, and unguessable enough that two runs
 * never meet.
 */
public final class UpgradeRunName {

  private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
  private static final SecureRandom RANDOM = new SecureRandom();

  private UpgradeRunName() {
  }

  public static String next() {
    return next(null);
  }

  /**
   * A run name that also says whose run it is ({@code fleet dry-run}: the tenant), so that someone looking at the
   * namespace during a fleet's dry-runs knows which Job belongs to which tenant: {@code odoo-upgrade-<qualifier>-}
   * and eight random characters, the qualifier folded to lower-case letters, digits and {@code -} and cut so that the
   * name stays within 63 characters (a Job's name becomes its pods' {@code job-name} label value).
   *
   * @param qualifier null or blank for none
   */
  public static String next(String qualifier) {
    StringBuilder name = new StringBuilder("odoo-upgrade-");
    String folded = qualifier == null ? "" : qualifier.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    folded = folded.substring(0, Math.min(folded.length(), MAX_QUALIFIER)).replaceAll("^-+|-+$", "");
    if (!folded.isEmpty()) {
      name.append(folded).append('-');
    }
    for (int i = 0; i < 8; i++) {
      name.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return name.toString();
  }

  /** 63 - "odoo-upgrade-" - "-" - 8 random characters. */
  private static final int MAX_QUALIFIER = 63 - 13 - 1 - 8;
}
