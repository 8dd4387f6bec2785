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
    StringBuilder name = new StringBuilder("odoo-upgrade-");
    for (int i = 0; i < 8; i++) {
      name.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return name.toString();
  }
}
