package io.odoogitops.gitops;

/**
 * What a promotion or rollback did.
 *
 * @param outcome landed, already landed (same promotion id), or nothing to change (digest already there)
 * @param commitId the commit that carries the promotion (the earlier one for ALREADY_LANDED), or null for NO_CHANGE
 * @param previousDigest what the environment ran before
 * @param attempts how many fetch-edit-push rounds it took (more than one means it raced another promotion)
 */
public record PromotionResult(
    Outcome outcome,
    String promotionId,
    String environment,
    String application,
    String image,
    String digest,
    String previousDigest,
    String commitId,
    int attempts,
    String message) {

  public enum Outcome { LANDED, ALREADY_LANDED, NO_CHANGE }

  /** A change planned to land: its commit and attempts are set by {@link #withCommit} once it is pushed. */
  public static PromotionResult landed(String promotionId, String environment, String application, String image,
      String digest, String previousDigest, String message) {
    return new PromotionResult(Outcome.LANDED, promotionId, environment, application, image, digest,
        previousDigest, null, 0, message);
  }

  /** The same promotion id landed before, as {@code commitId}: a retry that does nothing. */
  public static PromotionResult alreadyLanded(String promotionId, String environment, String application,
      String image, String digest, String previousDigest, String commitId, String message) {
    return new PromotionResult(Outcome.ALREADY_LANDED, promotionId, environment, application, image, digest,
        previousDigest, commitId, 0, message);
  }

  /** The environment already runs {@code digest}: nothing to commit. */
  public static PromotionResult noChange(String promotionId, String environment, String application, String image,
      String digest, String currentDigest, String message) {
    return new PromotionResult(Outcome.NO_CHANGE, promotionId, environment, application, image, digest,
        currentDigest, null, 0, message);
  }

  /** This result as pushed in {@code commitId}, after {@code attempts} fetch-edit-push rounds. */
  public PromotionResult withCommit(String commitId, int attempts) {
    return new PromotionResult(outcome, promotionId, environment, application, image, digest, previousDigest,
        commitId, attempts, message);
  }

  /** This result after {@code attempts} fetch-edit-push rounds. */
  public PromotionResult withAttempts(int attempts) {
    return withCommit(commitId, attempts);
  }
}
