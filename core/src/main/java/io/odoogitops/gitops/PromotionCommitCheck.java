package io.odoogitops.gitops;

import java.util.Optional;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * A condition a commit must meet, besides matching its manifests, before its trailers count as a promotion: the
 * place where a trust root plugs in "signed by the release key". History, rollback, {@code promoteFrom} and
 * idempotency all read promotions through it, so a commit it refuses is inert everywhere and flagged in history.
 */
@FunctionalInterface
public interface PromotionCommitCheck {

  /**
   * Why {@code commit} must not count as a promotion (shown after "unsanctioned: "), or empty when it may. The commit
   * is fully parsed: its raw buffer and signature are available.
   */
  Optional<String> refusal(RevCommit commit);

  /** Without a trust root every commit may count; its trailers and manifests are still checked. */
  PromotionCommitCheck ANY = commit -> Optional.empty();
}
