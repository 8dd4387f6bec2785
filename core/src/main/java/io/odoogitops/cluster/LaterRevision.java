package io.odoogitops.cluster;

import io.odoogitops.ImageDigest;

/**
 * A commit the GitOps controller synced in place of the promotion commit, one that descends from it on the branch
 * (other tenants, teams or fleets landed commits meanwhile), with what it deploys for the verified environment.
 *
 * @param commit the full id of the synced commit
 * @param digest the digest the environment's manifests name for the application at {@code commit}, or null if none
 * @param changedBy the newest commit up to {@code commit} that changed the environment's image (the later promotion
 *     or rollback that replaced the promoted digest), when {@code digest} is another one and it could be read; else
 *     null
 */
public record LaterRevision(String commit, ImageDigest digest, String changedBy) {

  /** Whether the synced commit still deploys {@code promoted}: then the promotion is judged at that commit. */
  public boolean deploys(ImageDigest promoted) {
    return promoted != null && promoted.equals(digest);
  }

  /** One line for the report of a superseded promotion. */
  String supersededDetail(VerificationRequest request) {
    return "the controller synced commit " + shortId(commit) + ", a later commit of the branch, where "
        + request.application() + " in " + request.environment() + " runs "
        + (digest == null ? "no pinned digest" : ImageDigest.shortForm(digest))
        + (changedBy == null ? "" : " (changed by commit " + shortId(changedBy) + ")") + " instead of "
        + ImageDigest.shortForm(request.digest()) + ": a later promotion or a rollback replaced this one, so it is"
        + " neither verified nor failed, and nothing is rolled back";
  }

  private static String shortId(String commit) {
    return commit.substring(0, Math.min(12, commit.length()));
  }
}
