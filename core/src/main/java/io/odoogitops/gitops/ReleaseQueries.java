package io.odoogitops.gitops;

import io.odoogitops.config.ReleaseConfig;
import io.odoogitops.gitops.manifest.DeployedImage;
import java.util.List;
import java.util.function.Function;

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
