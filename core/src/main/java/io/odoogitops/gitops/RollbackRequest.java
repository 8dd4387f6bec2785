package io.odoogitops.gitops;

import java.util.Objects;

/**
 * Restore an earlier digest of one application in one environment.
 *
 * @param to an explicit target, a digest ({@code sha256:…}) or a promotion id, that must be in the history;
 *     {@code null} means "the digest before the current one", skipping promotions that were rolled back
 * @param promotionId id of the rollback itself, for idempotent retries; generated when null
 * @param initiatorClaimed whether {@code initiator} is only a claim (the CLI's flag): {@code Initiated-By-Claim}
 */
public record RollbackRequest(String environment, String application, String to, String reason, String initiator,
    String buildUrl, String promotionId, boolean initiatorClaimed) {

  public RollbackRequest {
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(application, "application");
  }

  /** A rollback asked for by an authenticated initiator. */
  public RollbackRequest(String environment, String application, String to, String reason, String initiator,
      String buildUrl, String promotionId) {
    this(environment, application, to, reason, initiator, buildUrl, promotionId, false);
  }
}
