package io.odoogitops.gitops;

import java.util.Objects;

/**
 * Restore an earlier digest of one application in one environment.
 *
 * @param to an explicit target, a digest ({@code sha256:…}) or a promotion id, that must be in the history;
 *     {@code null} means "the digest before the current one", skipping promotions that were rolled back
 * @param promotionId id of the rollback itself, for idempotent retries; generated when null
 */
public record RollbackRequest(String environment, String application, String to, String reason, String initiator,
    String buildUrl, String promotionId) {

  public RollbackRequest {
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(application, "application");
  }
}
