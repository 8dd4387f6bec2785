package io.odoogitops.gitops;

import io.odoogitops.ReleaseException;
import io.odoogitops.config.EnvironmentSpec;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.Predicate;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.FooterLine;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.revwalk.filter.CommitTimeRevFilter;
import org.eclipse.jgit.treewalk.filter.AndTreeFilter;
import org.eclipse.jgit.treewalk.filter.PathFilter;
import org.eclipse.jgit.treewalk.filter.TreeFilter;

/**
 * The promotions of one environment, read from commit trailers, newest first. The walk is limited to commits that
 * touch the environment's path, which keeps it fast on long histories and ignores trailers forged into unrelated
 * commits. It is lazy: rollback stops as soon as it has found its target.
 */
public final class ReleaseHistory {

  private final Repository repository;
  private final ObjectId head;
  private final EnvironmentSpec environment;
  /** With a trust root: whether a commit is signed by a release manager; unsigned commits are never entries. */
  private final Predicate<RevCommit> counts;

  ReleaseHistory(Repository repository, ObjectId head, EnvironmentSpec environment, Predicate<RevCommit> counts) {
    this.repository = repository;
    this.head = head;
    this.environment = environment;
    this.counts = counts == null ? commit -> true : counts;
  }

  /** The environment's name. */
  public String name() {
    return environment.name();
  }

  /** Up to {@code limit} entries, newest first; {@code application} null means every application. */
  public List<HistoryEntry> list(String application, int limit) {
    List<HistoryEntry> out = new ArrayList<>();
    try (Walk walk = walk(null)) {
      while (out.size() < limit && walk.hasNext()) {
        HistoryEntry entry = walk.next();
        if (application == null || application.equals(entry.application())) {
          out.add(entry);
        }
      }
    }
    return out;
  }

  /**
   * Like {@link #list}, for a reader who asked to see the history: a commit on the environment's path too large to
   * read ({@link BoundedCache}) stops the listing with its id instead of being skipped, since the listing would
   * otherwise hide a change of the environment. Promote, rollback and the gate skip it: it is never a promotion.
   */
  public List<HistoryEntry> listNamingUnread(String application, int limit) {
    List<HistoryEntry> out = new ArrayList<>();
    try (Walk walk = new Walk(null, true)) {
      while (out.size() < limit && walk.hasNext()) {
        HistoryEntry entry = walk.next();
        if (application == null || application.equals(entry.application())) {
          out.add(entry);
        }
      }
      if (walk.unread != null) {
        long size = BoundedCache.oversize(repository, walk.unread).orElse(-1);
        throw ReleaseException.badInput("commit " + walk.unread.name() + " changes environment '"
            + environment.name() + "' and is " + size + " bytes, over the " + BoundedCache.limit(repository)
            + "-byte limit odoo-gitops reads per commit; it was not made by odoo-gitops and is never taken as a"
            + " promotion (promote and rollback skip it). "
            + (out.isEmpty() ? "No entry is newer than it" : "Pass --limit " + out.size() + " to list the "
            + out.size() + " newer entries")
            + ", or raise --max-commit-bytes (at most " + BoundedCache.MAX_COMMIT_BYTES_LIMIT + ") to read it");
      }
    }
    return out;
  }

  /** The first entry, newest first, that matches; walking only commits newer than {@code since} if given. */
  public Optional<HistoryEntry> find(Predicate<HistoryEntry> match, Instant since) {
    try (Walk walk = walk(since)) {
      while (walk.hasNext()) {
        HistoryEntry entry = walk.next();
        if (match.test(entry)) {
          return Optional.of(entry);
        }
      }
    }
    return Optional.empty();
  }

  /** A lazy newest-first walk; close it. */
  Walk walk(Instant since) {
    return new Walk(since, false);
  }

  /** Iterates the environment's promotions newest first. */
  final class Walk implements Iterator<HistoryEntry>, AutoCloseable {
    private final RevWalk revWalk;
    private final boolean stopAtUnread;
    private HistoryEntry next;
    private RevCommit unread;

    private Walk(Instant since, boolean stopAtUnread) {
      this.stopAtUnread = stopAtUnread;
      revWalk = new RevWalk(repository);
      try {
        revWalk.markStart(revWalk.parseCommit(head));
        String dir = environment.directory();
        if (!dir.isEmpty()) {
          revWalk.setTreeFilter(AndTreeFilter.create(PathFilter.create(dir), TreeFilter.ANY_DIFF));
        }
        if (since != null) {
          revWalk.setRevFilter(CommitTimeRevFilter.after(since.toEpochMilli()));
        }
      } catch (IOException e) {
        revWalk.close();
        throw failure(e);
      }
    }

    @Override
    public boolean hasNext() {
      try {
        while (next == null) {
          RevCommit commit = revWalk.next();
          if (commit == null) {
            return false;
          }
          if (BoundedCache.oversize(repository, commit).isPresent()) {
            // Read as its header only: no trailers, so never an entry.
            if (stopAtUnread) {
              unread = commit;
              return false;
            }
            continue;
          }
          next = parse(commit).filter(entry -> counts.test(commit)).orElse(null);
        }
        return true;
      } catch (IOException e) {
        throw failure(e);
      }
    }

    @Override
    public HistoryEntry next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      HistoryEntry entry = next;
      next = null;
      return entry;
    }

    @Override
    public void close() {
      revWalk.close();
    }
  }

  private Optional<HistoryEntry> parse(RevCommit commit) {
    List<FooterLine> footers = commit.getFooterLines();
    String promotionId = value(footers, Trailers.PROMOTION_ID);
    String env = value(footers, Trailers.ENVIRONMENT);
    String digest = value(footers, Trailers.IMAGE_DIGEST);
    if (promotionId == null || digest == null || !environment.name().equals(env)) {
      return Optional.empty();
    }
    return Optional.of(new HistoryEntry(commit.name(), Instant.ofEpochSecond(commit.getCommitTime()),
        promotionId, env, value(footers, Trailers.APPLICATION), value(footers, Trailers.IMAGE), digest,
        value(footers, Trailers.PREVIOUS_IMAGE_DIGEST), value(footers, Trailers.SOURCE_REVISION),
        initiator(footers), values(footers, Trailers.APPROVED_BY),
        values(footers, Trailers.ROLLBACK_OF), value(footers, Trailers.ROLLBACK_TO), commit.getShortMessage()));
  }

  /** The authenticated initiator, else the claimed one marked as such. */
  private static String initiator(List<FooterLine> footers) {
    String verified = value(footers, Trailers.INITIATED_BY);
    String claimed = value(footers, Trailers.INITIATED_BY_CLAIM);
    return verified != null ? verified : claimed == null ? null : claimed + " (claimed)";
  }

  private static String value(List<FooterLine> footers, String key) {
    List<String> all = values(footers, key);
    return all.isEmpty() ? null : all.get(0);
  }

  private static List<String> values(List<FooterLine> footers, String key) {
    return FooterLine.getValues(footers, key).stream().map(String::strip).toList();
  }

  private ReleaseException failure(IOException e) {
    return ReleaseException.infrastructure("cannot read the history of environment '" + environment.name()
        + "' from the GitOps cache: " + e.getMessage(), e);
  }
}
