package io.odoogitops.jenkins.dryrun;

import io.odoogitops.ImageDigest;
import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;

/**
 * A dry-run's parameters as sent to the agent, credentials resolved. {@link #toString()} hides the password.
 *
 * @param containerImage null for {@code postgres:<source major>}
 * @param maxDuration null for the core's default
 * @param maxAccessExclusive null for the core's default
 * @param largeTableRows null for the core's default
 * @param imageArchive workspace path, null to pull the image by digest
 * @param odooTimeout null for the runner's default
 * @param odooBin agent path of odoo-bin for the local runner, null for none
 * @param maxRowsRewritten null for the core's default
 * @param lockSampleInterval null for the core's default
 * @param maxWriteBlocking null for the core's default
 */
record DryRunSettings(String image, ImageDigest digest, List<String> migrations, String strategy, String containerImage,
    String sourceUrl, String stagingAdminDatabase, String user, String password, String reportDir,
    List<String> neutralizeSql, Duration maxDuration, Duration maxAccessExclusive, Long largeTableRows,
    List<String> forbid, boolean requireRollbackSafe, boolean upgradeContainer, String imageArchive,
    Duration odooTimeout, String odooBin, List<String> odooArgs, boolean requireOdooUpgrade, Double maxRowsRewritten,
    Duration lockSampleInterval, Duration maxWriteBlocking) implements Serializable {

  @Serial
  private static final long serialVersionUID = 3L;

  @Override
  public String toString() {
    return "DryRunSettings[" + image + ", " + strategy + " of " + sourceUrl + " as " + user + ", password ****]";
  }
}
