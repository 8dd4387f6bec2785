package io.odoogitops.gitops;

import static io.odoogitops.gitops.ReleaseHistory.initiator;
import static io.odoogitops.gitops.ReleaseHistory.value;

import io.odoogitops.ImageDigest;
import io.odoogitops.ReleaseException;
import io.odoogitops.policy.HoldEvidence;
import io.odoogitops.config.EnvironmentSpec;
import io.odoogitops.gitops.manifest.AutomationMarkers;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.FooterLine;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.AndTreeFilter;
import org.eclipse.jgit.treewalk.filter.PathFilter;
import org.eclipse.jgit.treewalk.filter.TreeFilter;

/**
 * The holds on one application in one environment, read from the GitOps history at a snapshot: nothing else records
 * them. A sanctioned rollback holds the digest it took away ({@code Previous-Image-Digest}); walking newest first, the
 * first sanctioned promotion ends the walk, since promoting a digest on purpose lifts every older hold; a later
 * rollback that restores a held digest lifts that hold; and a sanctioned release commit lifts the hold it names.
 *
 * <p>A release is a commit that writes {@code .odoo-gitops/holds/<env>/<app>/<rollback-commit>.released} and carries the
 * {@code Hold-Of} trailer naming the rollback commit. What counts is that commit, found by a path-limited walk and
 * held to the repository's {@link PromotionCommitCheck} (under a trust root: signed by a release manager), never the
 * file's mere presence: an unsigned release is listed as a notice and lifts nothing. The record lives outside the
 * environment's directory, where Argo CD or Flux would apply it.
 */
public final class Holds {

  /** Where release records live, outside every environment's manifests. */
  public static final String DIRECTORY = ".odoo-gitops/holds";
  /** Release commits read per application, newest first; far more than a team ever makes. */
  static final int MAX_RELEASE_COMMITS = 1000;

  public static final String HOLD_OF = "Hold-Of";
  public static final String HELD_DIGEST = "Held-Digest";
  public static final String HOLD_RELEASE_ID = "Hold-Release-Id";
  public static final String HOLD_RELEASE_REASON = "Hold-Release-Reason";

  /**
   * A sanctioned release of a hold.
   *
   * @param commitId the release commit
   * @param releaseId its idempotency id
   * @param initiator who released it, as recorded
   */
  public record Release(String commitId, String releaseId, String holdOf, ImageDigest digest, Instant time,
      String initiator) {}

  /**
   * The holds of one application in one environment.
   *
   * @param active the holds in force, newest first
   * @param released holds a release lifted, by rollback commit
   * @param lifted rollback commits whose hold a newer promotion or rollback lifted (the rollbacks since the last
   *     promotion only)
   * @param notices release commits that do not count (unsigned under a trust root, malformed), for the reader
   */
  public record State(List<Hold> active, Map<String, Release> released, Set<String> lifted, List<String> notices) {
    public State {
      active = List.copyOf(active);
      released = Map.copyOf(released);
      lifted = Set.copyOf(lifted);
      notices = List.copyOf(notices);
    }

    /** The active hold on {@code digest}, if any. */
    public Optional<Hold> on(ImageDigest digest) {
      return active.stream().filter(h -> h.digest().equals(digest)).findFirst();
    }

    /**
     * What became of the hold a sanctioned rollback entry set, for the history: "holds D until released", "held D,
     * released by commit R", or "held D until a newer promotion"; empty for any other entry.
     */
    public Optional<String> about(HistoryEntry entry) {
      if (!entry.sanctioned() || !entry.isRollback() || entry.previousDigest() == null) {
        return Optional.empty();
      }
      ImageDigest held = entry.previousDigest();
      if (active.stream().anyMatch(h -> h.rollbackCommit().equals(entry.commitId()))) {
        return Optional.of("holds " + held + " until released");
      }
      Release release = released.get(entry.commitId());
      if (release != null) {
        return Optional.of("held " + held + ", released by commit " + abbreviate(release.commitId())
            + (release.initiator() == null ? "" : " (" + release.initiator() + ")"));
      }
      return Optional.of("held " + held + " until a later promotion or rollback lifted it");
    }

    /** What the gate's {@code hold} rule weighs. */
    public HoldEvidence evidence(String environment, String application) {
      return new HoldEvidence(environment, application, active.stream()
          .map(h -> new HoldEvidence.Held(h.digest(), h.rollbackCommit(), h.since())).toList());
    }
  }

  private Holds() {}

  /** The holds in force on {@code application} in {@code environment} at {@code snapshot}, newest first. */
  public static List<Hold> of(Snapshot snapshot, String environment, String application) {
    return read(snapshot, environment, application).active();
  }

  /** Everything about the holds on {@code application} in {@code environment} at {@code snapshot}. */
  public static State read(Snapshot snapshot, String environment, String application) {
    snapshot.config().environment(environment);
    snapshot.config().application(application);
    List<Hold> candidates = new ArrayList<>();
    Set<String> lifted = new HashSet<>();
    Set<ImageDigest> restored = new HashSet<>();
    try (ReleaseHistory.Entries entries = snapshot.history(environment).promotions(application, null, null)) {
      while (entries.hasNext()) {
        HistoryEntry e = entries.next();
        if (!e.isRollback()) {
          break; // a promotion on purpose lifts every older hold
        }
        ImageDigest held = e.previousDigest();
        boolean heldAlready = candidates.stream().anyMatch(h -> h.digest().equals(held));
        if (held != null && !restored.contains(held) && !heldAlready) {
          candidates.add(new Hold(environment, application, held, e.commitId(), e.promotionId(), e.time(),
              e.initiator()));
        } else {
          lifted.add(e.commitId());
        }
        restored.add(e.digest());
      }
    }
    List<String> notices = new ArrayList<>();
    // Without a rollback since the last promotion there is nothing to release: spare the walk over the releases.
    Map<String, Release> released = candidates.isEmpty() ? Map.of()
        : releases(snapshot, environment, application, notices);
    List<Hold> active = candidates.stream().filter(h -> !released.containsKey(h.rollbackCommit())).toList();
    Map<String, Release> releasedHolds = new LinkedHashMap<>();
    candidates.stream().filter(h -> released.containsKey(h.rollbackCommit()))
        .forEach(h -> releasedHolds.put(h.rollbackCommit(), released.get(h.rollbackCommit())));
    return new State(active, releasedHolds, lifted, notices);
  }

  /**
   * For an audit of {@code environment}: a commit that changed the environment's files without promotion trailers,
   * held to what a release may do there. Empty when it does not claim to release a hold ({@code Hold-Of}).
   *
   * @param problem why it is not a sanctioned release (the commit check, the record, or an environment change other
   *     than restoring the markers the held rollback pinned); null when it is one
   */
  public record AuditedRelease(String holdOf, String problem) {}

  /** See {@link AuditedRelease}; {@code commit} must be on the branch of {@code owner}'s cache. */
  public static Optional<AuditedRelease> audit(GitOpsRepository owner, String environment, RevCommit commit) {
    List<FooterLine> footers = commit.getFooterLines();
    String holdOf = value(footers, HOLD_OF);
    if (holdOf == null) {
      return Optional.empty();
    }
    Repository repo = owner.repository();
    try (RevWalk walk = new RevWalk(repo)) {
      RevCommit parsed = walk.parseCommit(commit);
      String application = value(footers, Trailers.APPLICATION);
      String problem = application == null ? "it has no Application trailer"
          : problem(repo, walk, owner.readings().commitCheck(), parsed, footers, environment, application, holdOf);
      if (problem == null) {
        problem = environmentChangeProblem(owner, walk, parsed, environment, holdOf);
      }
      return Optional.of(new AuditedRelease(holdOf, problem));
    } catch (IOException | IllegalArgumentException e) {
      return Optional.of(new AuditedRelease(holdOf, "it cannot be read: " + e.getMessage()));
    }
  }

  /** Null when the release changed the environment's files only by restoring the pins of the rollback it names. */
  private static String environmentChangeProblem(GitOpsRepository owner, RevWalk walk, RevCommit commit,
      String environment, String holdOf) throws IOException {
    Snapshot after = owner.snapshotAt(commit.name());
    Snapshot before = owner.snapshotAt(commit.getParent(0).name());
    EnvironmentSpec env = before.config().environment(environment);
    if (env.directory().isEmpty()) {
      return "the environment is the repository's root, where a release's changes cannot be told apart";
    }
    String rollbackId;
    try {
      rollbackId = value(walk.parseCommit(ObjectId.fromString(holdOf)).getFooterLines(), Trailers.PROMOTION_ID);
    } catch (IOException | IllegalArgumentException e) {
      return "the rollback it names (" + abbreviate(holdOf) + ") is not in the repository";
    }
    Map<String, byte[]> expected = new LinkedHashMap<>(before.filesUnder(env.directory(), p -> true,
        AutomationPins.MAX_FILES));
    if (rollbackId != null) {
      expected.putAll(AutomationMarkers.restore(expected, rollbackId));
    }
    Map<String, byte[]> actual = after.filesUnder(env.directory(), p -> true, AutomationPins.MAX_FILES);
    boolean same = expected.keySet().equals(actual.keySet())
        && expected.entrySet().stream().allMatch(e -> Arrays.equals(e.getValue(), actual.get(e.getKey())));
    return same ? null : "it changes " + env.directory() + " beyond restoring the automation markers rollback "
        + abbreviate(holdOf) + " pinned";
  }

  /** The path of the record a release of the hold set by {@code rollbackCommit} adds. */
  static String recordPath(String environment, String application, String rollbackCommit) {
    return directory(environment, application) + "/" + rollbackCommit + ".released";
  }

  private static String directory(String environment, String application) {
    // Environment and application names are validated ([a-z0-9._-], no '/'), so they are safe path segments.
    return DIRECTORY + "/" + environment + "/" + application;
  }

  /** Every sanctioned release of the application's holds, by the rollback commit it names. */
  private static Map<String, Release> releases(Snapshot snapshot, String environment, String application,
      List<String> notices) {
    GitOpsRepository owner = snapshot.owner();
    Repository repo = owner.repository();
    PromotionCommitCheck check = owner.readings().commitCheck();
    Map<String, Release> out = new LinkedHashMap<>();
    try (RevWalk walk = new RevWalk(repo)) {
      walk.setRewriteParents(false);
      walk.markStart(walk.parseCommit(snapshot.head()));
      walk.setTreeFilter(AndTreeFilter.create(PathFilter.create(directory(environment, application)),
          TreeFilter.ANY_DIFF));
      RevCommit commit;
      int seen = 0;
      while ((commit = walk.next()) != null && seen++ < MAX_RELEASE_COMMITS) {
        if (BoundedCache.oversize(repo, commit).isPresent()) {
          notices.add("commit " + commit.name() + " changes " + directory(environment, application) + " but is too"
              + " large to read; it releases no hold");
          continue;
        }
        List<FooterLine> footers = commit.getFooterLines();
        String holdOf = value(footers, HOLD_OF);
        if (holdOf == null) {
          continue;
        }
        String problem = problem(repo, walk, check, commit, footers, environment, application, holdOf);
        if (problem != null) {
          notices.add("hold on " + application + " in " + environment + ": commit " + commit.name().substring(0, 12)
              + " claims to release the hold of rollback " + abbreviate(holdOf) + ", but " + problem
              + "; the hold stays (release it with 'odoo-gitops hold release')");
          continue;
        }
        out.putIfAbsent(holdOf, new Release(commit.name(), value(footers, HOLD_RELEASE_ID), holdOf,
            ImageDigest.orNull(value(footers, HELD_DIGEST)), Instant.ofEpochSecond(commit.getCommitTime()), initiator(footers)));
      }
    } catch (IOException e) {
      throw ReleaseException.infrastructure("cannot read the hold releases of " + application + " in " + environment
          + " from the GitOps cache: " + e.getMessage(), e);
    }
    return out;
  }

  private static String problem(Repository repo, RevWalk walk, PromotionCommitCheck check, RevCommit commit,
      List<FooterLine> footers, String environment, String application, String holdOf) throws IOException {
    Optional<String> refused = check.refusal(commit);
    if (refused.isPresent()) {
      return refused.get();
    }
    if (!environment.equals(value(footers, Trailers.ENVIRONMENT))
        || !application.equals(value(footers, Trailers.APPLICATION))) {
      return "its Environment/Application trailers name another hold";
    }
    if (commit.getParentCount() != 1) {
      return "it has " + commit.getParentCount() + " parents, and a release is a commit with one";
    }
    // Writing the record is the release; an earlier (say unsigned) version of the file must not block a real one.
    String path = recordPath(environment, application, holdOf);
    RevCommit parent = walk.parseCommit(commit.getParent(0));
    Optional<ObjectId> now = blob(repo, commit, path);
    return now.isPresent() && !now.equals(blob(repo, parent, path)) ? null : "it does not write " + path;
  }

  private static Optional<ObjectId> blob(Repository repo, RevCommit commit, String path) throws IOException {
    try (TreeWalk tw = TreeWalk.forPath(repo, path, commit.getTree())) {
      return tw == null ? Optional.empty() : Optional.of(tw.getObjectId(0));
    }
  }

  private static String abbreviate(String commit) {
    return commit.length() > 12 ? commit.substring(0, 12) : commit;
  }
}
