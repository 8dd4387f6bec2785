package io.odoogitops.gitops;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.odoogitops.ImageDigest;
import io.odoogitops.policy.Decision;

/**
 * What a promotion or rollback did.
 *
 * @param outcome landed, already landed (same promotion id), or nothing to change (digest already there)
 * @param commitId the commit that carries the promotion (the earlier one for ALREADY_LANDED), or null for NO_CHANGE
 * @param previousDigest what the environment ran before
 * @param attempts how many fetch-edit-push rounds it took (more than one means it raced another promotion)
 * @param decision the gate decision the commit landed with, judged on the commit it was built on; null when no gate
 *     weighed it (nothing to change, already landed, a hold release, an engine without a gate). Not part of the
 *     result's JSON: front ends print it beside the result, in their own shape
 */
public record PromotionResult(
    Outcome outcome,
    String promotionId,
    String environment,
    String application,
    String image,
    ImageDigest digest,
    ImageDigest previousDigest,
    String commitId,
    int attempts,
    String message,
    @JsonIgnore Decision decision) {

  public enum Outcome { LANDED, ALREADY_LANDED, NO_CHANGE }

  /** A change planned to land: its commit and attempts are set by {@link #withCommit} once it is pushed. */
  public static PromotionResult landed(String promotionId, String environment, String application, String image,
      ImageDigest digest, ImageDigest previousDigest, String message) {
    return new PromotionResult(Outcome.LANDED, promotionId, environment, application, image, digest,
        previousDigest, null, 0, message, null);
  }

  /** The same promotion id landed before, as {@code commitId}: a retry that does nothing. */
  public static PromotionResult alreadyLanded(String promotionId, String environment, String application,
      String image, ImageDigest digest, ImageDigest previousDigest, String commitId, String message) {
    return new PromotionResult(Outcome.ALREADY_LANDED, promotionId, environment, application, image, digest,
        previousDigest, commitId, 0, message, null);
  }

  /** The environment already runs {@code digest}: nothing to commit. */
  public static PromotionResult noChange(String promotionId, String environment, String application, String image,
      ImageDigest digest, ImageDigest currentDigest, String message) {
    return new PromotionResult(Outcome.NO_CHANGE, promotionId, environment, application, image, digest,
        currentDigest, null, 0, message, null);
  }

  /** This result as pushed in {@code commitId}, after {@code attempts} fetch-edit-push rounds. */
  public PromotionResult withCommit(String commitId, int attempts) {
    return new PromotionResult(outcome, promotionId, environment, application, image, digest, previousDigest,
        commitId, attempts, message, decision);
  }

  /** This result as landed under the gate's {@code decision} (null: no gate weighed it). */
  public PromotionResult withDecision(Decision decision) {
    return new PromotionResult(outcome, promotionId, environment, application, image, digest, previousDigest,
        commitId, attempts, message, decision);
  }

  /** This result after {@code attempts} fetch-edit-push rounds. */
  public PromotionResult withAttempts(int attempts) {
    return withCommit(commitId, attempts);
  }
}
