package io.odoogitops.gitops;

import io.odoogitops.config.ReleaseConfig;
import io.odoogitops.gitops.manifest.DeployedImage;
import io.odoogitops.ReleaseException;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.eclipse.jgit.errors.AmbiguousObjectException;
import org.eclipse.jgit.errors.IncorrectObjectTypeException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * Read-only questions to the GitOps repository, each answered on a freshly fetched head under the cache's lock (the
 * lock a fetch needs, which only this package can take); nothing is written. The commands live on
 * {@link PromotionEngine}.
 */
public final class ReleaseQueries {

  private final GitOpsRepository repository;

  private ReleaseQueries(GitOpsRepository repository) {
    this.repository = repository;
  }

  /** Queries on {@code repository}: no signer, gate or committer is needed to read. */
  public static ReleaseQueries of(GitOpsRepository repository) {
    return new ReleaseQueries(repository);
  }

  /** The current state of an environment without changing anything (fetches first). */
  public DeployedImage current(String environment, String application) {
    return atHead(snapshot -> snapshot.deployed(environment, application));
  }

  /** The image an environment runs for an application at a given commit (fetches first). */
  public DeployedImage deployedAt(String commit, String environment, String application) {
    return at(commit, snapshot -> snapshot.deployed(environment, application));
  }

  /** Reads the branch as it was at {@code commit} (fetches first); nothing is written. */
  public <T> T at(String commit, Function<Snapshot, T> reader) {
    return repository.locked(() -> {
      repository.fetch();
      return reader.apply(repository.snapshotAt(commit));
    });
  }

  /**
   * Reads the branch as it was at {@code revision} when {@code revision} is {@code ancestor} or a descendant of it
   * on the branch: a commit that contains {@code ancestor} and that the branch head contains. The cache is fetched
   * only when it does not have {@code revision} on the branch yet (or was never fetched), so asking again about a
   * known commit costs no round trip. Empty when {@code revision} is an older commit, one of another branch, or unknown to the branch.
   *
   * @param ancestor a commit id, full or abbreviated, of the branch (e.g. a promotion commit)
   * @param revision a commit id, full or abbreviated (e.g. the revision a GitOps controller synced)
   */
  public <T> Optional<T> atDescendant(String ancestor, String revision, Function<Snapshot, T> reader) {
    return repository.locked(() -> {
      // A cache never fetched (a new agent) has no branch to look at yet: fetch before the first look.
      boolean fetched = !repository.fetchedOnce();
      ObjectId head = (fetched ? repository.fetch() : repository.snapshot()).head();
      ObjectId later = onBranch(revision, head);
      if (later == null && !fetched) {
        head = repository.fetch().head();
        later = onBranch(revision, head);
      }
      ObjectId earlier = commit(repository.repository(), ancestor);
      if (later == null || earlier == null || !contains(repository.repository(), later, earlier)) {
        return Optional.empty();
      }
      return Optional.ofNullable(reader.apply(new Snapshot(repository, later)));
    });
  }

  private static final Pattern COMMIT_ID = Pattern.compile("[0-9a-f]{7,64}");

  /** {@code id} when it names a commit the cache has and {@code head} contains; else null. */
  private ObjectId onBranch(String id, ObjectId head) {
    ObjectId commit = commit(repository.repository(), id);
    return commit != null && contains(repository.repository(), head, commit) ? commit : null;
  }

  /** The commit {@code id} names in the cache, or null (not a commit id, unknown, ambiguous, not a commit). */
  static ObjectId commit(Repository git, String id) {
    if (id == null || !COMMIT_ID.matcher(id).matches()) {
      return null;
    }
    try {
      return git.resolve(id + "^{commit}");
    } catch (AmbiguousObjectException | MissingObjectException | IncorrectObjectTypeException e) {
      return null;
    } catch (IOException e) {
      throw ReleaseException.infrastructure("cannot read the GitOps cache: " + e.getMessage(), e);
    }
  }

  /** Whether {@code descendant} is {@code ancestor} or has it in its history (JGit's merge-base walk). */
  static boolean contains(Repository git, ObjectId descendant, ObjectId ancestor) {
    try (RevWalk walk = new RevWalk(git)) {
      return walk.isMergedInto(walk.parseCommit(ancestor), walk.parseCommit(descendant));
    } catch (IOException e) {
      throw ReleaseException.infrastructure("cannot walk the GitOps cache's history: " + e.getMessage(), e);
    }
  }

  /** Reads the freshly fetched branch head; nothing is written. */
  public <T> T atHead(Function<Snapshot, T> reader) {
    return repository.locked(() -> reader.apply(repository.fetch()));
  }

  /** {@code odoo-gitops.yaml} at the branch head (fetches first). */
  public ReleaseConfig config() {
    return atHead(Snapshot::config);
  }

  /** The release history of an environment (fetches first). */
  public List<HistoryEntry> history(String environment, String application, int limit) {
    return atHead(snapshot -> history(snapshot, environment, application, limit));
  }

  /** The release history of an environment at {@code snapshot}, as {@link #history(String, String, int)} lists it. */
  public static List<HistoryEntry> history(Snapshot snapshot, String environment, String application, int limit) {
    if (application != null) {
      snapshot.config().application(application);
    }
    return snapshot.history(environment).listNamingUnread(application, limit);
  }
}
