package io.odoogitops.audit;

import io.odoogitops.ImageDigest;
import java.util.List;

/**
 * One change of the environment's files and what the audit found about it.
 *
 * @param time the committer time, as claimed by whoever made the commit (git records no push time)
 * @param kind {@code promote}, {@code rollback}, {@code change} (an image changed without promotion trailers),
 *     {@code other} (other files of the environment changed), {@code hold-release} (a release of a hold restoring the
 *     automation markers its rollback pinned), {@code unread} (too large to read) or {@code initial}
 * @param freezeOverride the {@code Freeze-Override} trailer (frozen windows and override approvers), if any
 * @param justification the {@code Override-Justification} trailer, if any
 * @param dryRun the {@code Dry-Run} trailer (verdict and report SHA-256), if any
 * @param reasons why the change is unsanctioned; empty when it is sanctioned
 */
public record AuditEntry(
    String commitId,
    String time,
    String author,
    String committer,
    String subject,
    String kind,
    String application,
    ImageDigest digest,
    ImageDigest previousDigest,
    String promotionId,
    String initiator,
    List<String> approvedBy,
    String freezeOverride,
    String justification,
    String dryRun,
    boolean sanctioned,
    List<String> reasons,
    List<Check> checks) {

  public AuditEntry {
    approvedBy = List.copyOf(approvedBy);
    reasons = List.copyOf(reasons);
    checks = List.copyOf(checks);
  }

  /** Whether this is a promotion or rollback (sanctioned or not), as opposed to a change without trailers. */
  public boolean claimsPromotion() {
    return promotionId != null;
  }
}
