package io.odoogitops.jenkins.dryrun;

import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;

/**
 * A dry-run's parameters as sent to the agent, credentials resolved. {@link #toString()} hides the password.
 *
 * @param maxDuration null for the core's default
 * @param maxAccessExclusive null for the core's default
 */
record DryRunSettings(String image, String digest, List<String> migrations, String strategy, String sourceUrl,
    String stagingAdminDatabase, String user, String password, String reportDir, Duration maxDuration,
    Duration maxAccessExclusive, List<String> forbid, boolean requireRollbackSafe) implements Serializable {

  @Serial
  private static final long serialVersionUID = 1L;

  @Override
  public String toString() {
    return "DryRunSettings[" + image + ", " + strategy + " of " + sourceUrl + " as " + user + ", password ****]";
  }
}
