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
}
