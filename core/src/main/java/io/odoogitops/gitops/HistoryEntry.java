package io.odoogitops.gitops;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.odoogitops.ImageDigest;
import java.time.Instant;
import java.util.List;

/**
 * One change of an application's image in an environment: a promotion or rollback read back from its commit trailers
 * and checked against the manifests, or a change no promotion explains.
 *
 * @param promotionId null for a change without promotion trailers (a direct push)
 * @param image the image the manifest names at this commit when the entry is sanctioned; else the Image trailer (or,
 *     for a direct push, the manifest's image)
 * @param rollbackOf the promotion ids this commit undid; empty for plain promotions
 * @param rollbackTo the promotion id whose state this rollback restored, if it had one
 * @param author who made the commit, as git records it ({@code Name <email>})
 * @param problem why the entry does not count (its trailers do not match the manifests, no promotion explains the
 *     change, or the commit check refused it); null for a sanctioned promotion or rollback
 * @param restoreRequired whether the promotion's dry-run said RESTORE_REQUIRED ({@code Rollback-Safety}): its
 *     rollback needs the database restored
 * @param imageOnlyJustification for a rollback that put back only the image of such a release, why
 *     ({@code Rollback-Image-Only}); else null
 * @param restoredDatabase the restored database a rollback switched the environment to; else null
 */
public record HistoryEntry(
    String commitId,
    Instant time,
    String promotionId,
    String environment,
    String application,
    String image,
    ImageDigest digest,
    ImageDigest previousDigest,
    String sourceRevision,
    String initiator,
    List<String> approvedBy,
    List<String> rollbackOf,
    String rollbackTo,
    String subject,
    String author,
    String problem,
    boolean restoreRequired,
    String imageOnlyJustification,
    String restoredDatabase) {

  public HistoryEntry {
    approvedBy = List.copyOf(approvedBy);
    rollbackOf = List.copyOf(rollbackOf);
  }

  /** An entry that says nothing about restores. */
  public HistoryEntry(String commitId, Instant time, String promotionId, String environment, String application,
      String image, ImageDigest digest, ImageDigest previousDigest, String sourceRevision, String initiator,
      List<String> approvedBy, List<String> rollbackOf, String rollbackTo, String subject, String author,
      String problem) {
    this(commitId, time, promotionId, environment, application, image, digest, previousDigest, sourceRevision,
        initiator, approvedBy, rollbackOf, rollbackTo, subject, author, problem, false, null, null);
  }

  public boolean isRollback() {
    return !rollbackOf.isEmpty() || rollbackTo != null;
  }

  /** Whether this entry counts: rollback may restore it, {@code promoteFrom} and idempotency may rely on it. */
  @JsonProperty("sanctioned")
  public boolean sanctioned() {
    return problem == null;
  }

  /** {@code promote}, {@code rollback} or {@code change} (a change of the image without promotion trailers). */
  @JsonProperty("kind")
  public String kind() {
    return promotionId == null ? "change" : isRollback() ? "rollback" : "promote";
  }

  HistoryEntry withVerdict(String image, String problem) {
    return new HistoryEntry(commitId, time, promotionId, environment, application, image, digest, previousDigest,
        sourceRevision, initiator, approvedBy, rollbackOf, rollbackTo, subject, author, problem, restoreRequired,
        imageOnlyJustification, restoredDatabase);
  }
}
