package io.odoogitops.jenkins.repository;

import hudson.model.TaskListener;
import io.odoogitops.ReleaseException;
import io.odoogitops.gitops.GitOpsRepository;
import io.odoogitops.jenkins.step.LogMasker;
import io.odoogitops.jenkins.step.Refusals;
import io.odoogitops.trust.CommitSigner;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import jenkins.security.MasterToSlaveCallable;

/**
 * Work against the GitOps repository that runs on the agent holding the workspace: open the cache clone, do one
 * thing through the core, close, wipe key material. Subclasses stay small and return plain serializable values.
 * A {@link ReleaseException} comes back as the step's {@link hudson.AbortException} (see {@link Refusals}).
 */
public abstract class GitOpsCallable<T> extends MasterToSlaveCallable<T, IOException> {

  private static final long serialVersionUID = 1L;
  private static final Logger LOGGER = Logger.getLogger(GitOpsCallable.class.getName());

  private final GitOpsAccess access;
  private final TaskListener listener;
  /**
   * The release key, set only for work run on the controller. Transient: were this callable ever sent to an agent,
   * the key would not travel with it, and {@link #call()} refuses to land unsigned what had to be signed.
   */
  private transient CommitSigner signer;
  private boolean signed;

  protected GitOpsCallable(GitOpsAccess access, TaskListener listener) {
    this.access = access;
    this.listener = listener;
  }

  /** Has this work sign its commits with {@code releaseKey}; the caller then runs it on the controller itself. */
  public final GitOpsCallable<T> signedBy(CommitSigner releaseKey) {
    this.signer = releaseKey;
    this.signed = releaseKey != null;
    return this;
  }

  @Override
  public final T call() throws IOException {
    if (signed && signer == null) {
      throw new hudson.AbortException("infrastructure: the release key is used on the controller only, but this"
          + " work was sent to an agent; nothing was committed");
    }
    LogMasker masker = new LogMasker(access.secrets());
    PrintStream log = listener.getLogger();
    Path scratch = null;
    try {
      scratch = Files.createTempDirectory("odoo-gitops-");
      try (GitOpsRepository repository = access.open(scratch)) {
        return work(new Session(access, repository, message -> log.println(masker.mask(message)), signer));
      }
    } catch (ReleaseException e) {
      throw Refusals.abort(e, masker);
    } catch (IOException e) {
      throw Refusals.abort(ReleaseException.infrastructure("cannot prepare the GitOps credentials on this agent: "
          + e.getMessage(), e), masker);
    } finally {
      delete(scratch);
    }
  }

  /** The one thing this callable does. */
  protected abstract T work(Session session);

  private static void delete(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // Best effort: the directory is owner-only and in the temp dir; say so, but do not fail a landed promotion.
      LOGGER.log(Level.WARNING, "could not delete " + dir, e);
    }
  }
}
