package io.odoogitops.cluster;

/**
 * The one-step rollback a failed verification asks for. The cluster package does not know how to roll back: the
 * caller wires this to the GitOps engine, which commits the previous good digest with {@code Rollback-Of}.
 */
@FunctionalInterface
public interface RollbackTrigger {

  /** The reason a failed verification passes, recorded in the rollback commit. */
  String VERIFICATION_FAILED = "verification-failed";

  /**
   * Rolls {@code application} in {@code environment} back by one promotion.
   *
   * @param reason why, e.g. {@link #VERIFICATION_FAILED}
   * @return the id of the rollback commit
   */
  String rollback(String environment, String application, String reason);
}
