package io.odoogitops.gitops;

import io.odoogitops.ImageDigest;
import io.odoogitops.policy.HoldEvidence;
import java.time.Instant;
import java.util.List;

/**
 * A digest a rollback took away from an application in an environment: promoting it again is refused by the gate
 * (rule {@code hold}) until a newer digest is promoted or {@code odoo-gitops hold release} lifts it.
 *
 * @param digest the digest held (the rollback's {@code Previous-Image-Digest})
 * @param rollbackCommit the rollback commit that set it; a release names it
 * @param rollbackId the rollback's promotion id; automation markers it pinned carry it
 * @param since when the rollback was committed
 * @param initiator who rolled back, as the rollback commit records it
 */
public record Hold(String environment, String application, ImageDigest digest, String rollbackCommit, String rollbackId,
    Instant since, String initiator) {

  /** The command that lifts this hold. */
  public String releaseCommand() {
    return releaseCommand(environment, application, digest);
  }

  static String releaseCommand(String environment, String application, ImageDigest digest) {
    return new HoldEvidence(environment, application, List.of()).releaseCommand(digest);
  }
}
