package io.odoogitops.policy;

import io.odoogitops.ImageDigest;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The holds in force on one application in one environment, as the GitOps history tells (a rollback holds the digest
 * it took away until a newer digest is promoted or the hold is released); the {@code hold} rule refuses a promotion of
 * a held digest.
 *
 * @param holds the active holds, newest first
 */
public record HoldEvidence(String environment, String application, List<Held> holds) {

  public HoldEvidence {
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(application, "application");
    holds = List.copyOf(holds);
  }

  /**
   * One digest a rollback took away.
   *
   * @param rollbackCommit the commit of the rollback that set the hold
   * @param since when that rollback was committed
   */
  public record Held(ImageDigest digest, String rollbackCommit, Instant since) {
    public Held {
      Objects.requireNonNull(digest, "digest");
      Objects.requireNonNull(rollbackCommit, "rollbackCommit");
    }
  }

  /** The command that lifts the hold on {@code digest}, for messages. */
  public String releaseCommand(ImageDigest digest) {
    return "odoo-gitops hold release --env " + environment + " --app " + application + " --digest " + digest
        + " --reason TEXT";
  }
}
