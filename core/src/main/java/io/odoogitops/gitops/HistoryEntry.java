package io.odoogitops.gitops;

import java.time.Instant;
import java.util.List;

/**
 * One promotion (or rollback) of an application in an environment, read back from its commit trailers.
 *
 * @param rollbackOf the promotion ids this commit undid; empty for plain promotions
 * @param rollbackTo the promotion id whose state this rollback restored, if it had one
 */
public record HistoryEntry(
    String commitId,
    Instant time,
    String promotionId,
    String environment,
    String application,
    String image,
    String digest,
    String previousDigest,
    String sourceRevision,
    String initiator,
    List<String> approvedBy,
    List<String> rollbackOf,
    String rollbackTo,
    String subject) {

  public boolean isRollback() {
    return !rollbackOf.isEmpty() || rollbackTo != null;
  }
}
