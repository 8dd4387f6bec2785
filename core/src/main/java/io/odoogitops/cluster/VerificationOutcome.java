package io.odoogitops.cluster;

/**
 * How a verification ended. Every outcome but {@link #VERIFIED} and {@link #SUPERSEDED} is a failure; a superseded
 * promotion is neither verified nor failed.
 */
public enum VerificationOutcome {
  /** The controller applied the commit, healthy, and every replica runs the digest. */
  VERIFIED,
  /** The controller reports the commit Degraded, or its sync failed. */
  CONTROLLER_FAILED,
  /** The workload's rollout stopped progressing (Deployment ProgressDeadlineExceeded). */
  ROLLOUT_STUCK,
  /** The controller applied the commit but the workload's pod template does not name the digest. */
  DIGEST_MISMATCH,
  /** Nothing failed outright, but the commit was not applied and rolled out in time. */
  TIMED_OUT,
  /**
   * The controller synced a later commit of the branch that deploys another digest for the environment: a later
   * promotion or a rollback replaced this one. Not a failure: nothing is rolled back.
   */
  SUPERSEDED
}
