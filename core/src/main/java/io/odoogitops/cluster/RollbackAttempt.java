package io.odoogitops.cluster;

/**
 * The automatic rollback a failed verification asked for.
 *
 * @param reason the reason passed to the GitOps engine
 * @param commit the rollback commit id when it landed, else {@code null}
 * @param error why it did not land, else {@code null}
 */
public record RollbackAttempt(String reason, String commit, String error) {

  public boolean landed() {
    return commit != null;
  }
}
