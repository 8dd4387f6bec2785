package io.odoogitops.gitops;

import io.odoogitops.ImageDigest;
import java.util.Objects;

/**
 * Lift the hold a rollback set on a digest, on purpose.
 *
 * @param reason why, required: it goes into the release commit
 * @param initiatorClaimed whether {@code initiator} is only a claim (the CLI's flag): {@code Initiated-By-Claim}
 * @param releaseId idempotency key of the release; generated when null
 */
public record HoldReleaseRequest(String environment, String application, ImageDigest digest, String reason,
    String initiator, boolean initiatorClaimed, String buildUrl, String releaseId) {

  public HoldReleaseRequest {
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(application, "application");
  }
}
