package io.odoogitops.trust;

import io.odoogitops.ReleaseException;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.AndTreeFilter;
import org.eclipse.jgit.treewalk.filter.PathFilter;
import org.eclipse.jgit.treewalk.filter.TreeFilter;

/**
 * The version of one file that is in force under a trust root: the file as of its newest change whose commit a key of
 * the role signed. Changes after it that nobody of that role signed are ignored and returned, so that the caller
 * reports them. The walk visits only commits that change the file (a path-limited {@link RevWalk}) and at most a
 * bounded number of them.
 */
public final class SignedFileHistory {

  /** Changes of the policy file walked at most: years of policy edits; a bound on what a flood of pushes costs. */
  public static final int DEFAULT_MAX_CHANGES = 1000;

  /** Configuration files are small; same bound as the GitOps engine's reads. */
  static final int MAX_FILE_BYTES = 8 << 20;

  /**
   * A change of the file that does not take effect: unsigned, badly signed or signed by a key without the role.
   * The typed form for reports and the coming {@code audit}.
   */
  public record IgnoredChange(String commitId, Instant at, String committer, CommitSignature signature) {
    /** One line for people. */
    public String describe() {
      return commitId.substring(0, Math.min(12, commitId.length())) + " by " + committer + " at " + at + " ("
          + signature.detail() + ")";
    }
  }

  /**
   * The version in force.
   *
   * @param signedCommit the newest commit that changed the file and is signed by the role; {@code null} when no
   *     commit ever touched the file
   * @param bytes the file at {@code signedCommit}; {@code null} if that signed change deleted it or none exists
   * @param ignored newer changes that do not take effect, newest first
   */
  public record Resolution(String path, String headCommit, String signedCommit, CommitSignature signature,
      byte[] bytes, List<IgnoredChange> ignored) {
    public Resolution {
      ignored = List.copyOf(ignored);
    }

    /** One line per ignored change, for a decision's notices or a command's output. */
    public List<String> notices() {
      return ignored.stream().map(c -> "ignored unsigned change of " + path + ": " + c.describe() + "; the "
          + path + " in force is the one signed by " + signature.signer() + " in commit "
          + signedCommit.substring(0, 12)).toList();
    }
  }

  private SignedFileHistory() {}

  /** The version of {@code path} in force at {@code head}. */
  public static Resolution resolve(Repository repository, ObjectId head, String path, CommitVerifier verifier,
      Role role, int maxChanges) {
    Walked walked = walk(repository, head, path, verifier, role, maxChanges);
    List<IgnoredChange> ignored = walked.ignored();
    if (walked.signed() != null) {
      try {
        return new Resolution(path, head.name(), walked.signed().name(), walked.signature(),
            read(repository, walked.signed(), path), ignored);
      } catch (IOException e) {
        throw failure(path, e);
      }
    }
    if (ignored.isEmpty()) {
      return new Resolution(path, head.name(), null, null, null, ignored); // never existed: nothing to sign
    }
    if (walked.bounded()) {
      throw ReleaseException.refused("none of the last " + maxChanges + " changes of " + path + " is signed by"
          + " a " + role.marker() + " of the " + verifier.root().describe() + " (newest unsigned: "
          + ignored.get(0).describe() + "); sign the intended version with a " + role.marker()
          + " key (git commit -S, see docs/policy.md, Trust root)");
    }
    throw ReleaseException.refused("no version of " + path + " is signed by a " + role.marker() + " of the "
        + verifier.root().describe() + " (" + ignored.size() + " unsigned change(s), newest "
        + ignored.get(0).describe() + "); a " + role.marker() + " must sign the commit that sets it (git"
        + " commit -S with a key of the trust root, see docs/policy.md, Trust root)");
  }

  /**
   * The changes under {@code path} (a file or a directory) newer than its newest change signed by {@code role},
   * newest first, at most {@code maxChanges}: what a signed commit on top would carry along unseen. Never refuses.
   */
  public static List<IgnoredChange> unsignedSince(Repository repository, ObjectId head, String path,
      CommitVerifier verifier, Role role, int maxChanges) {
    return walk(repository, head, path, verifier, role, maxChanges).ignored();
  }

  private record Walked(RevCommit signed, CommitSignature signature, List<IgnoredChange> ignored, boolean bounded) {}

  private static Walked walk(Repository repository, ObjectId head, String path, CommitVerifier verifier, Role role,
      int maxChanges) {
    List<IgnoredChange> ignored = new ArrayList<>();
    try (RevWalk walk = new RevWalk(repository)) {
      walk.markStart(walk.parseCommit(head));
      if (!path.isEmpty()) {
        walk.setTreeFilter(AndTreeFilter.create(PathFilter.create(path), TreeFilter.ANY_DIFF));
      }
      for (RevCommit commit = walk.next(); commit != null; commit = walk.next()) {
        if (ignored.size() >= maxChanges) {
          return new Walked(null, null, ignored, true);
        }
        CommitSignature signature = verifier.verify(commit, role);
        if (signature.trusted()) {
          return new Walked(commit, signature, ignored, false);
        }
        ignored.add(new IgnoredChange(commit.name(), Instant.ofEpochSecond(commit.getCommitTime()),
            CommitSignatures.printable(commit.getCommitterIdent().getName()), signature));
      }
      return new Walked(null, null, ignored, false);
    } catch (IOException e) {
      throw failure(path, e);
    }
  }

  private static ReleaseException failure(String path, IOException e) {
    return ReleaseException.infrastructure("cannot read the history of " + path + " from the GitOps cache: "
        + e.getMessage(), e);
  }

  private static byte[] read(Repository repository, RevCommit commit, String path) throws IOException {
    try (TreeWalk tw = TreeWalk.forPath(repository, path, commit.getTree())) {
      if (tw == null) {
        return null;
      }
      if (tw.getFileMode(0) != FileMode.REGULAR_FILE && tw.getFileMode(0) != FileMode.EXECUTABLE_FILE) {
        throw ReleaseException.badInput(path + " is not a regular file at signed commit " + commit.name()
            + "; odoo-gitops reads neither links nor submodules");
      }
      ObjectLoader loader = repository.open(tw.getObjectId(0), Constants.OBJ_BLOB);
      if (loader.getSize() > MAX_FILE_BYTES) {
        throw ReleaseException.badInput(path + " is " + loader.getSize() + " bytes at commit " + commit.name()
            + ", over the " + MAX_FILE_BYTES + "-byte limit for configuration");
      }
      return loader.getBytes();
    }
  }
}
