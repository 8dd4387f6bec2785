package io.odoogitops.gitops;

import io.odoogitops.ReleaseException;
import io.odoogitops.trust.CommitSignature;
import io.odoogitops.trust.CommitVerifier;
import io.odoogitops.trust.Role;
import io.odoogitops.trust.SignedFileHistory;
import io.odoogitops.trust.TrustRoot;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.TransportException;
import org.eclipse.jgit.errors.NoRemoteRepositoryException;
import org.eclipse.jgit.errors.NotSupportedException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.Transport;

/**
 * A GitOps repository through its persistent local cache: a bare clone per remote and branch that is only ever
 * fetched into, so a promotion transfers what is new instead of cloning a repository with years of history. Without a
 * working tree, edits are written straight into the object database.
 *
 * <p>One promotion round holds the cache's lock (in-process and across processes), so promoters sharing a cache take
 * turns while promoters on other machines race through the remote's compare-and-swap.
 */
public final class GitOpsRepository implements AutoCloseable {

  /** The default bound on what is read of one commit; see {@link #open(GitOpsRemote, long)}. */
  public static final long DEFAULT_MAX_COMMIT_BYTES = BoundedCache.DEFAULT_MAX_COMMIT_BYTES;

  private static final Map<Path, ReentrantLock> IN_PROCESS_LOCKS = new ConcurrentHashMap<>();

  private final GitOpsRemote remote;
  private final Path directory;
  private final Repository repository;
  private final GitTransport transport;
  private final String trackingRef;
  private final ManifestReadings readings = new ManifestReadings();
  private volatile CommitVerifier trust;
  /** Policy files in force per (commit, path): a commit never changes, so neither does what is in force there. */
  private final Map<String, SignedFileHistory.Resolution> signedFiles = new ConcurrentHashMap<>();

  private GitOpsRepository(GitOpsRemote remote, Path directory, Repository repository, GitTransport transport) {
    this.remote = remote;
    this.directory = directory;
    this.repository = repository;
    this.transport = transport;
    this.trackingRef = "refs/remotes/origin/" + remote.branch();
  }

  /** Opens (creating on first use) the cache clone of {@code remote}. Nothing is fetched yet. */
  public static GitOpsRepository open(GitOpsRemote remote) {
    return open(remote, BoundedCache.DEFAULT_MAX_COMMIT_BYTES);
  }

  /**
   * Like {@link #open(GitOpsRemote)}, reading at most {@code maxCommitBytes} of any commit: a larger commit is read as
   * its header only and never counts as a promotion (see {@link BoundedCache}).
   */
  public static GitOpsRepository open(GitOpsRemote remote, long maxCommitBytes) {
    BoundedCache.checkLimit(maxCommitBytes);
    GitTransport.refusePlainHttp(remote.credentials(), remote.url());
    Path dir = remote.cacheDirectory();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw cacheFailure(dir, e);
    }
    // Two promoters opening a new cache at once must not both initialise it.
    Repository repo = withCacheLock(dir, () -> {
      StaleLocks.clean(dir.resolve("cache.git"), StaleLocks.DEFAULT_AGE, Instant.now());
      try {
        Repository r = BoundedCache.open(dir.resolve("cache.git").toFile(), maxCommitBytes);
        if (!r.getObjectDatabase().exists()) {
          r.create(true);
        }
        StoredConfig config = r.getConfig();
        config.setString("remote", "origin", "url", remote.url().toString());
        config.setString("remote", "origin", "fetch", "+refs/heads/" + remote.branch() + ":refs/remotes/origin/"
            + remote.branch());
        // Commit-graph files make path-limited history walks cheap on long histories.
        // JGit would carry a token's Basic authorization to wherever a redirect points.
        config.setString("http", null, "followRedirects",
            GitTransport.sendsToken(remote.credentials(), remote.url()) ? "false" : "initial");
        // Garbage collection in the foreground, under our lock: a detached one outlives the process and leaves its
        // gc.log.lock behind when the process ends or is killed.
        config.setBoolean("gc", null, "autoDetach", false);
        config.setBoolean("core", null, "commitGraph", true);
        config.setBoolean("gc", null, "writeCommitGraph", true);
        config.setBoolean("gc", null, "writeChangedPaths", true);
        config.save();
        return r;
      } catch (IOException e) {
        throw cacheFailure(dir, e);
      }
    });
    return new GitOpsRepository(remote, dir, repo, new GitTransport(remote.credentials(), dir, remote.url()));
  }

  private static ReleaseException cacheFailure(Path dir, IOException e) {
    return ReleaseException.infrastructure("cannot open the GitOps cache at " + dir + ": " + e.getMessage()
        + "; check that the directory is writable or pass another --cache-dir", e);
  }

  public GitOpsRemote remote() {
    return remote;
  }

  /**
   * Verifies this repository against a trust root kept outside it: the policy in force is its newest version signed
   * by a policy admin, and only commits signed by a release manager count as promotions. Call once, before use.
   */
  public GitOpsRepository trustRoot(TrustRoot root) {
    if (trust != null) {
      throw new IllegalStateException("the trust root is set once");
    }
    trust = new CommitVerifier(root);
    CommitVerifier verifier = trust;
    // with a trust root, only commits a release manager signed are promotions, everywhere history is read
    readings.require(commit -> {
      CommitSignature signature = verifier.verify(commit, Role.RELEASE_MANAGER);
      return signature.trusted() ? Optional.empty()
          : Optional.of("not signed by a release manager of the trust root: " + signature.summary());
    });
    return this;
  }

  /** The verifier of the trust root, if one was given. */
  public Optional<CommitVerifier> trust() {
    return Optional.ofNullable(trust);
  }

  /** The version of {@code path} a policy admin signed last, as of {@code head}; only with a trust root. */
  SignedFileHistory.Resolution signedFile(ObjectId head, String path) {
    if (signedFiles.size() > 256) {
      signedFiles.clear(); // a long-running controller walks many heads; the newest few matter
    }
    return signedFiles.computeIfAbsent(head.name() + ":" + path, key -> SignedFileHistory.resolve(repository, head,
        path, trust, Role.POLICY_ADMIN, SignedFileHistory.DEFAULT_MAX_CHANGES));
  }

  Repository repository() {
    return repository;
  }

  /** Manifest readings of past commits, shared by every history read through this cache. */
  ManifestReadings readings() {
    return readings;
  }

  /**
   * Adds a condition every commit must meet to count as a promotion in history, rollback, {@code promoteFrom} and
   * idempotency (e.g. signed by the release key); without one, trailers and manifests are still checked.
   */
  public GitOpsRepository requirePromotionCommits(PromotionCommitCheck check) {
    readings.require(check);
    return this;
  }

  /**
   * Runs {@code work} while holding this cache's lock. Every fetch-edit-push round goes through here.
   */
  <T> T locked(LockedWork<T> work) {
    return withCacheLock(directory, work);
  }

  private static <T> T withCacheLock(Path directory, LockedWork<T> work) {
    ReentrantLock local = IN_PROCESS_LOCKS.computeIfAbsent(directory.toAbsolutePath().normalize(),
        p -> new ReentrantLock());
    local.lock();
    try (FileChannel channel = FileChannel.open(directory.resolve("lock"), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE);
        FileLock ignored = channel.lock()) {
      return work.run();
    } catch (IOException e) {
      throw ReleaseException.infrastructure("cannot lock the GitOps cache " + directory + ": " + e.getMessage(), e);
    } finally {
      local.unlock();
    }
  }

  /** Work done under the cache lock. */
  @FunctionalInterface
  interface LockedWork<T> {
    T run();
  }

  /**
   * Fetches what is new on the remote branch and returns the snapshot of its head. Call under {@link #locked}, which
   * only this package can take: elsewhere read through {@code ReleaseQueries} or the engine's commands.
   */
  Snapshot fetch() {
    try (Git git = new Git(repository)) {
      var fetch = git.fetch()
          .setRemote("origin")
          .setRefSpecs(new RefSpec("+refs/heads/" + remote.branch() + ":" + trackingRef))
          .setRemoveDeletedRefs(true);
      transport.configure(fetch);
      fetch.call();
    } catch (TransportException e) {
      throw transportFailure("fetch from", e);
    } catch (GitAPIException e) {
      throw ReleaseException.infrastructure("fetch from " + remote.displayUrl() + " failed: "
          + RemoteUrl.redactText(e.getMessage()), e);
    }
    return snapshot();
  }

  /** Whether the branch was fetched into this cache at least once (a new agent's cache was not). */
  boolean fetchedOnce() {
    try {
      return repository.exactRef(trackingRef) != null;
    } catch (IOException e) {
      throw ReleaseException.infrastructure("cannot read the GitOps cache " + directory + ": " + e.getMessage(), e);
    }
  }

  /** The last fetched head, without contacting the remote. */
  public Snapshot snapshot() {
    try {
      Ref ref = repository.exactRef(trackingRef);
      if (ref == null) {
        throw ReleaseException.badInput("the GitOps repository " + remote.displayUrl() + " has no branch '"
            + remote.branch() + "'; create it with an initial commit holding odoo-gitops.yaml, or pass --branch");
      }
      return new Snapshot(this, ref.getObjectId());
    } catch (IOException e) {
      throw ReleaseException.infrastructure("cannot read the GitOps cache " + directory + ": " + e.getMessage(), e);
    }
  }

  /** The repository at {@code commit} (a full or abbreviated id reachable from the fetched branch). */
  public Snapshot snapshotAt(String commit) {
    try {
      ObjectId id = commit.matches("[0-9a-fA-F]{4,64}") ? repository.resolve(commit + "^{commit}") : null;
      if (id == null) {
        throw ReleaseException.badInput("commit '" + commit + "' is not in " + remote.displayUrl() + " (branch "
            + remote.branch() + "); pass the promotion commit id that promote printed");
      }
      return new Snapshot(this, id);
    } catch (org.eclipse.jgit.errors.AmbiguousObjectException e) {
      throw ReleaseException.badInput("commit '" + commit + "' is ambiguous; give more hex digits");
    } catch (IOException e) {
      throw ReleaseException.infrastructure("cannot read the GitOps cache " + directory + ": " + e.getMessage(), e);
    }
  }

  /** Outcome of one push attempt. */
  enum PushOutcome { PUSHED, REMOTE_MOVED }

  /**
   * Pushes {@code commit} if and only if the remote branch still points at {@code expectedOld}: a compare-and-swap,
   * never a force. Call under {@link #locked}.
   */
  PushOutcome push(ObjectId commit, ObjectId expectedOld) {
    RemoteRefUpdate update;
    try {
      update = new RemoteRefUpdate(repository, commit.name(), "refs/heads/" + remote.branch(), false, null,
          expectedOld);
    } catch (IOException e) {
      throw ReleaseException.infrastructure("cannot prepare the push: " + e.getMessage(), e);
    }
    try (Transport t = Transport.open(repository, "origin")) {
      transport.configure(t);
      PushResult result = t.push(org.eclipse.jgit.lib.NullProgressMonitor.INSTANCE, List.of(update));
      RemoteRefUpdate done = result.getRemoteUpdate("refs/heads/" + remote.branch());
      switch (done.getStatus()) {
        case OK, UP_TO_DATE -> {
          advanceTrackingRef(commit);
          return PushOutcome.PUSHED;
        }
        case REJECTED_NONFASTFORWARD, REJECTED_REMOTE_CHANGED -> {
          return PushOutcome.REMOTE_MOVED;
        }
        case REJECTED_OTHER_REASON -> {
          // git's receive-pack reports a lost race for the ref lock as "failed to update ref" / "cannot lock ref":
          // the same situation as a moved branch, so the round is replayed.
          String why = String.valueOf(done.getMessage());
          if (why.contains("failed to update ref") || why.contains("cannot lock ref") || why.contains("lock")) {
            return PushOutcome.REMOTE_MOVED;
          }
          throw new ReleaseException(ReleaseException.Kind.REFUSED, "the push to " + remote.displayUrl()
              + " was refused (" + why + "); check branch protection and hooks on the GitOps repository");
        }
        default -> throw new ReleaseException(ReleaseException.Kind.REFUSED, "the push to "
            + remote.displayUrl() + " was refused (" + done.getStatus() + (done.getMessage() == null ? ""
            : ": " + done.getMessage()) + "); check branch protection and hooks on the GitOps repository");
      }
    } catch (NotSupportedException | org.eclipse.jgit.errors.TransportException e) {
      throw transportFailure("push to", e);
    } catch (java.net.URISyntaxException e) {
      throw ReleaseException.badInput("the repository URL " + remote.displayUrl() + " is not valid: "
          + e.getReason());
    }
  }

  private void advanceTrackingRef(ObjectId commit) {
    try {
      RefUpdate ru = repository.updateRef(trackingRef);
      ru.setNewObjectId(commit);
      ru.setForceUpdate(true);
      ru.update();
    } catch (IOException e) {
      // The next fetch corrects the tracking ref; the push itself has landed.
    }
  }

  private ReleaseException transportFailure(String action, Exception e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    String lower = message.toLowerCase(java.util.Locale.ROOT);
    String hint;
    if (lower.contains("not authorized") || lower.contains("auth") && lower.contains("fail")
        || lower.contains("authentication") || lower.contains("cannot log in")) {
      hint = "authentication was refused; check the token (ODOO_GITOPS_GIT_TOKEN / --git-token-file) or the SSH key";
    } else if (lower.contains("host key") || lower.contains("known_hosts") || lower.contains("unknown host")
        || lower.contains("server key")) {
      hint = "the server's host key is not trusted; add it to the known_hosts file, or pass"
          + " --accept-new-host-keys once to record it";
    } else if (lower.contains("redirect")) {
      hint = "the server redirected elsewhere; odoo-gitops does not follow redirects while a token is set, so that"
          + " the token only ever goes to the host you named: pass the final https:// URL with --repo";
    } else if (e instanceof NoRemoteRepositoryException || e.getCause() instanceof NoRemoteRepositoryException) {
      hint = "the repository does not exist at that URL; check --repo";
    } else {
      hint = "check that the git server is reachable and retry";
    }
    return ReleaseException.infrastructure("could not " + action + " " + remote.displayUrl() + ": "
        + RemoteUrl.redactText(message) + " (" + hint + ")", e);
  }

  @Override
  public void close() {
    transport.close();
    repository.close();
  }
}
