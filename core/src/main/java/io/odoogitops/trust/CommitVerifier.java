package io.odoogitops.trust;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * {@link CommitSignatures} with a cache per commit id: a commit's bytes never change, so neither does what its
 * signature proves under one trust root. History walks, the policy walk and the gate ask about the same commits on
 * every round of a promotion; each is verified once.
 */
public final class CommitVerifier {

  /** Far more commits than one process walks; a bound so a long-running controller does not grow without end. */
  static final int CACHE_ENTRIES = 16_384;

  private record Key(ObjectId commit, Role role) {}

  private final TrustRoot root;
  private final Map<Key, CommitSignature> cache = new LinkedHashMap<>(256, 0.75f, true) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<Key, CommitSignature> eldest) {
      return size() > CACHE_ENTRIES;
    }
  };

  public CommitVerifier(TrustRoot root) {
    this.root = root;
  }

  public TrustRoot root() {
    return root;
  }

  /** What {@code commit}'s signature proves for {@code role}. */
  public CommitSignature verify(RevCommit commit, Role role) {
    Key key = new Key(commit.copy(), role);
    synchronized (cache) {
      CommitSignature known = cache.get(key);
      if (known != null) {
        return known;
      }
    }
    CommitSignature checked = CommitSignatures.verify(commit, root, role);
    synchronized (cache) {
      cache.put(key, checked);
    }
    return checked;
  }

  /** The predicate a history walk uses: does this commit count as signed by {@code role}? */
  public Predicate<RevCommit> signedBy(Role role) {
    return commit -> verify(commit, role).trusted();
  }
}
