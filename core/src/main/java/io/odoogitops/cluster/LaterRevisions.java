package io.odoogitops.cluster;

import io.odoogitops.ImageDigest;
import io.odoogitops.ReleaseException;
import io.odoogitops.gitops.HistoryEntry;
import io.odoogitops.gitops.ReleaseQueries;
import io.odoogitops.gitops.Snapshot;
import java.util.Optional;

/**
 * What a commit the GitOps controller synced means for a verification when it is not the promotion commit. On a busy
 * GitOps branch other commits land while a promotion is verified, and Argo CD or Flux sync the newest head: that head
 * is as good as the promotion commit as long as it descends from it and still deploys the promoted digest for the
 * environment, and it says the promotion was superseded when it deploys another digest there.
 */
@FunctionalInterface
public interface LaterRevisions {

  /**
   * @param commit the full id of the commit the controller synced, not the promotion commit
   * @return what {@code commit} deploys for the request's environment and application when it descends from the
   *     request's commit on the branch; empty when it does not (an older commit, another branch, unknown)
   * @throws ReleaseException when the repository cannot be read (the verifier asks again at its next poll)
   */
  Optional<LaterRevision> read(VerificationRequest request, String commit);

  /** Without a GitOps repository: only the promotion commit itself counts. */
  LaterRevisions NONE = (request, commit) -> Optional.empty();

  /**
   * Reads later commits from the GitOps repository behind {@code queries} (fetched when the cache does not have the
   * synced commit yet), with the same manifest readers promotions use.
   *
   * <p>Under a trust root the manifests prove nothing by themselves: anyone who can push can name any digest there.
   * Then only the newest trusted (signed, sanctioned) promotion or rollback of the environment up to the synced commit
   * decides whether ours was superseded; an unsigned change of the digest is inert, the verification keeps waiting
   * and fails (and rolls back to the sanctioned state) as it would have without the later commit.
   */
  static LaterRevisions of(ReleaseQueries queries) {
    return (request, commit) -> queries.atDescendant(request.commit(), commit,
        snapshot -> snapshot.trusted() ? trusted(snapshot, request, commit) : manifests(snapshot, request, commit));
  }

  private static LaterRevision manifests(Snapshot snapshot, VerificationRequest request, String commit) {
    ImageDigest digest = snapshot.deployed(request.environment(), request.application()).digest();
    String changedBy = null;
    if (!request.digest().equals(digest)) {
      try {
        changedBy = ReleaseQueries.history(snapshot, request.environment(), request.application(), 1).stream()
            .findFirst().map(HistoryEntry::commitId).orElse(null);
      } catch (ReleaseException e) {
        // The history cannot be listed (an oversize commit on the path): the report names the synced commit only.
      }
    }
    return new LaterRevision(commit, digest, changedBy);
  }

  /** Null (keep waiting) when the manifests at {@code commit} name another digest no trusted entry explains. */
  private static LaterRevision trusted(Snapshot snapshot, VerificationRequest request, String commit) {
    Optional<HistoryEntry> newest = snapshot.history(request.environment())
        .find(e -> request.application().equals(e.application()), null);
    if (newest.isPresent() && !request.digest().equals(newest.get().digest())
        && !snapshot.descends(request.commit(), newest.get().commitId())) {
      // A signed promotion or rollback after ours names another digest: that one is the environment's now.
      return new LaterRevision(commit, newest.get().digest(), newest.get().commitId());
    }
    ImageDigest digest = snapshot.deployed(request.environment(), request.application()).digest();
    return request.digest().equals(digest) ? new LaterRevision(commit, digest, null) : null;
  }
}
