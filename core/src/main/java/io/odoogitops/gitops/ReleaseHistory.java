package io.odoogitops.gitops;

import io.odoogitops.ImageDigest;
import io.odoogitops.ImageRef;
import io.odoogitops.ReleaseException;
import io.odoogitops.config.EnvironmentSpec;
import io.odoogitops.config.ReleaseConfig;
import io.odoogitops.gitops.manifest.DeployedImage;
import io.odoogitops.policy.DryRunEvidence;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.FooterLine;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.revwalk.filter.CommitTimeRevFilter;
import org.eclipse.jgit.treewalk.filter.AndTreeFilter;
import org.eclipse.jgit.treewalk.filter.PathFilter;
import org.eclipse.jgit.treewalk.filter.TreeFilter;

/**
 * The history of one environment, newest first, read from commit trailers and checked against the manifests.
 *
 * <p>Trailers are only a claim: anyone who can push can write {@code Image-Digest:} into a message. A promotion counts
 * (is <em>sanctioned</em>) only when the environment's manifests at its commit name the trailer's digest for that
 * application, its parent named the {@code Previous-Image-Digest} (when given) and something else, and the
 * repository's {@link PromotionCommitCheck} accepts the commit. Everything else is inert: rollback, {@code promoteFrom}
 * and idempotency never see it, while {@link #listNamingUnread} shows it flagged, with the changes of an image no
 * promotion explains (direct pushes).
 *
 * <p>The walk is limited to commits that touch the environment's path, which keeps it fast on long histories, and it is
 * lazy: manifests are only read for the entries a decision actually looks at (cached per object id, see
 * {@link ManifestReadings}), so rollback stops as soon as it has found its target.
 */
public final class ReleaseHistory {

  /** The flag of an entry whose trailers claim what its commit's manifests do not say. */
  public static final String TRAILERS_DO_NOT_MATCH = "trailers do not match the manifest";
  /** The flag of a change of the image that no promotion's trailers explain. */
  public static final String UNEXPLAINED_CHANGE = "the image changed but no promotion explains it";

  /**
   * One commit that touched the environment's files, for an audit: what it did to the images ({@link #changes}), or
   * nothing when it was too large to read.
   *
   * @param entries its entries as {@link #listNamingUnread} shows them; empty for a commit that changed other files
   *     of the environment, for the first commit, and for an unread one
   * @param unreadBytes the size of a commit over the read limit (never a promotion), else -1
   */
  public record PathChange(RevCommit commit, List<HistoryEntry> entries, long unreadBytes) {
    public PathChange {
      entries = List.copyOf(entries);
    }

    public boolean unread() {
      return unreadBytes >= 0;
    }
  }

  private final GitOpsRepository owner;
  private final Repository repository;
  private final ObjectId head;
  private final EnvironmentSpec environment;
  private final ReleaseConfig config;

  ReleaseHistory(GitOpsRepository owner, ObjectId head, EnvironmentSpec environment, ReleaseConfig config) {
    this.owner = owner;
    this.repository = owner.repository();
    this.head = head;
    this.environment = environment;
    this.config = config;
  }

  /** The environment's name. */
  public String name() {
    return environment.name();
  }

  /**
   * Up to {@code limit} sanctioned promotions and rollbacks, newest first; {@code application} null means every
   * application. What the gate's {@code promoteFrom} rule may rely on.
   */
  public List<HistoryEntry> list(String application, int limit) {
    List<HistoryEntry> out = new ArrayList<>();
    try (Entries entries = promotions(application, null, null)) {
      while (out.size() < limit && entries.hasNext()) {
        out.add(entries.next());
      }
    }
    return out;
  }

  /**
   * Every change of the environment's images, for a reader who asked to see the history: sanctioned entries, entries
   * whose trailers do not match the manifests, and changes of an image without a promotion, newest first. A commit on
   * the environment's path too large to read ({@link BoundedCache}) stops the listing with its id instead of being
   * skipped, since the listing would otherwise hide a change of the environment. Promote, rollback and the gate skip
   * it: it is never a promotion.
   */
  public List<HistoryEntry> listNamingUnread(String application, int limit) {
    List<HistoryEntry> out = new ArrayList<>();
    List<String> applications = application != null ? List.of(application)
        : List.copyOf(config.applications().keySet());
    try (Commits commits = new Commits(null, true, false)) {
      RevCommit commit;
      while (out.size() < limit && (commit = commits.next()) != null) {
        for (HistoryEntry entry : changes(commit, application, applications)) {
          if (out.size() < limit) {
            out.add(entry);
          }
        }
      }
      if (commits.unread != null && out.size() < limit) {
        long size = BoundedCache.oversize(repository, commits.unread).orElse(-1);
        throw ReleaseException.badInput("commit " + commits.unread.name() + " changes environment '"
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

  /**
   * Calls {@code each} for every commit that touched the environment's files and that {@code wanted} accepts, newest
   * first, oversize commits included; at most {@code maxCommits}. Returns whether wanted commits remained unread.
   * {@code wanted} sees the commit and its first parent's headers. The whole path-limited history is walked: a cut by
   * commit time would let one backdated commit hide everything behind it.
   */
  public boolean walk(String application, java.util.function.Predicate<RevCommit> wanted, int maxCommits,
      java.util.function.Consumer<PathChange> each) {
    List<String> applications = application != null ? List.of(application)
        : List.copyOf(config.applications().keySet());
    int seen = 0;
    try (Commits commits = new Commits(null, false, true)) {
      RevCommit commit;
      while ((commit = commits.next()) != null) {
        if (!wanted.test(commit)) {
          continue;
        }
        if (seen++ == maxCommits) {
          return true;
        }
        if (commits.unread == commit) {
          each.accept(new PathChange(commit, List.of(), BoundedCache.oversize(repository, commit).orElse(0)));
        } else {
          each.accept(new PathChange(commit, changes(commit, application, applications), -1));
        }
      }
    }
    return false;
  }

  /**
   * The first sanctioned entry, newest first, that {@code match} accepts; walking only commits newer than
   * {@code since} if given. {@code match} sees the trailers before the manifests are read, so only candidates cost a
   * manifest check.
   */
  public Optional<HistoryEntry> find(Predicate<HistoryEntry> match, Instant since) {
    try (Entries entries = promotions(null, match, since)) {
      return entries.hasNext() ? Optional.of(entries.next()) : Optional.empty();
    }
  }

  /** The sanctioned promotions and rollbacks of {@code application} (null: all), lazily, newest first; close it. */
  Entries promotions(String application, Predicate<HistoryEntry> match, Instant since) {
    return new Entries(new Commits(since, false, false), application, match);
  }

  /** What one commit did to the environment's images, as the reader's listing shows it. */
  private List<HistoryEntry> changes(RevCommit commit, String application, List<String> applications) {
    List<HistoryEntry> out = new ArrayList<>();
    Set<String> explained = new HashSet<>();
    // A claim about another application than the one asked for neither shows nor explains anything here.
    Optional<HistoryEntry> claimed = parse(commit)
        .filter(e -> application == null || application.equals(e.application()));
    if (claimed.isPresent()) {
      HistoryEntry entry = verify(claimed.get(), commit);
      if (entry.sanctioned()) {
        explained.add(entry.application());
      }
      out.add(entry);
    }
    if (commit.getParentCount() == 0) {
      return out; // the repository's first commit creates the manifests; nothing changed
    }
    ManifestReadings readings = owner.readings();
    for (String app : applications) {
      if (explained.contains(app)) {
        continue;
      }
      ManifestReadings.Reading now = readings.at(owner, commit, environment.name(), app);
      ManifestReadings.Reading before = readings.at(owner, commit.getParent(0), environment.name(), app);
      if (!Objects.equals(now.digest(), before.digest())) {
        out.add(new HistoryEntry(commit.name(), time(commit), null, environment.name(), app,
            now.image() == null ? null : pinned(now.image()), now.digest(), before.digest(), null, null, List.of(),
            List.of(), null, commit.getShortMessage(), author(commit), UNEXPLAINED_CHANGE));
      }
    }
    return out;
  }

  /** The claim of {@code raw}'s trailers held against the manifests and the commit check. */
  private HistoryEntry verify(HistoryEntry raw, RevCommit commit) {
    ManifestReadings readings = owner.readings();
    Optional<String> refused = readings.commitCheck().refusal(commit);
    if (refused.isPresent()) {
      return raw.withVerdict(raw.image(), refused.get());
    }
    if (raw.application() == null) {
      return raw.withVerdict(raw.image(), TRAILERS_DO_NOT_MATCH + ": there is no Application trailer");
    }
    if (raw.problem() != null) {
      return raw; // a malformed digest trailer, see parse
    }
    if (commit.getParentCount() != 1) {
      return raw.withVerdict(raw.image(), TRAILERS_DO_NOT_MATCH + ": odoo-gitops lands promotions as commits with"
          + " one parent, this one has " + commit.getParentCount());
    }
    ManifestReadings.Reading now = readings.at(owner, commit, environment.name(), raw.application());
    if (now.image() == null) {
      return raw.withVerdict(raw.image(), TRAILERS_DO_NOT_MATCH + ": the manifest at this commit cannot be read ("
          + now.problem() + ")");
    }
    if (!raw.digest().equals(now.digest())) {
      return raw.withVerdict(raw.image(), TRAILERS_DO_NOT_MATCH + ": the manifest names "
          + ImageDigest.shortForm(now.digest()) + ", the Image-Digest trailer " + ImageDigest.shortForm(raw.digest()));
    }
    if (raw.image() != null && !sameImage(raw.image(), now.image())) {
      return raw.withVerdict(raw.image(), TRAILERS_DO_NOT_MATCH + ": the Image trailer names " + raw.image()
          + ", the manifest " + pinned(now.image()));
    }
    ManifestReadings.Reading before = readings.at(owner, commit.getParent(0), environment.name(), raw.application());
    if (Objects.equals(before.digest(), now.digest())) {
      return raw.withVerdict(raw.image(), TRAILERS_DO_NOT_MATCH + ": the commit does not change the image (its"
          + " parent already names " + ImageDigest.shortForm(now.digest()) + ")");
    }
    if (raw.previousDigest() != null && !raw.previousDigest().equals(before.digest())) {
      return raw.withVerdict(raw.image(), TRAILERS_DO_NOT_MATCH + ": the Previous-Image-Digest trailer says "
          + ImageDigest.shortForm(raw.previousDigest()) + ", the parent's manifest named "
          + ImageDigest.shortForm(before.digest()));
    }
    return raw.withVerdict(pinned(now.image()), null);
  }

  private static boolean sameImage(String trailer, DeployedImage manifest) {
    try {
      ImageRef ref = ImageRef.parse(trailer);
      return ref.sameRepository(manifest.repository()) && ref.digest().equals(manifest.digest());
    } catch (ReleaseException e) {
      return false;
    }
  }

  static String pinned(DeployedImage image) {
    return image.repository() + (image.tag() == null ? "" : ":" + image.tag())
        + (image.digest() == null ? "" : "@" + image.digest());
  }

  /** Iterates the sanctioned entries newest first. */
  final class Entries implements Iterator<HistoryEntry>, AutoCloseable {
    private final Commits commits;
    private final String application;
    private final Predicate<HistoryEntry> match;
    private HistoryEntry next;

    private Entries(Commits commits, String application, Predicate<HistoryEntry> match) {
      this.commits = commits;
      this.application = application;
      this.match = match;
    }

    @Override
    public boolean hasNext() {
      while (next == null) {
        RevCommit commit = commits.next();
        if (commit == null) {
          return false;
        }
        Optional<HistoryEntry> claimed = parse(commit)
            .filter(e -> application == null || application.equals(e.application()))
            .filter(e -> match == null || match.test(e));
        if (claimed.isPresent()) {
          HistoryEntry entry = verify(claimed.get(), commit);
          next = entry.sanctioned() ? entry : null;
        }
      }
      return true;
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
      commits.close();
    }
  }

  /** The commits that touch the environment's path, newest first. */
  private final class Commits implements AutoCloseable {
    private final RevWalk revWalk;
    private final boolean stopAtUnread;
    private final boolean yieldUnread;
    private RevCommit unread;

    private Commits(Instant since, boolean stopAtUnread, boolean yieldUnread) {
      this.stopAtUnread = stopAtUnread;
      this.yieldUnread = yieldUnread;
      revWalk = new RevWalk(repository);
      // Real parents, not the previous commit on the path: a promotion is checked against its actual parent.
      revWalk.setRewriteParents(false);
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

    /**
     * The next readable commit, or null at the end (or at an oversize commit when asked to stop there); an oversize
     * commit itself when asked to yield it, left in {@link #unread}.
     */
    RevCommit next() {
      try {
        RevCommit commit;
        while ((commit = revWalk.next()) != null) {
          if (BoundedCache.oversize(repository, commit).isEmpty()) {
            return commit;
          }
          // Read as its header only: no trailers, so never an entry.
          if (stopAtUnread) {
            unread = commit;
            return null;
          }
          if (yieldUnread) {
            unread = commit;
            return commit;
          }
        }
        return null;
      } catch (IOException e) {
        throw failure(e);
      }
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
    // Trailers are text anyone can write: a digest that is not one makes the claim count for nothing.
    String previous = value(footers, Trailers.PREVIOUS_IMAGE_DIGEST);
    String malformed = !ImageDigest.isValid(digest) ? Trailers.IMAGE_DIGEST + " trailer '" + digest + "'"
        : previous != null && !ImageDigest.isValid(previous)
            ? Trailers.PREVIOUS_IMAGE_DIGEST + " trailer '" + previous + "'" : null;
    return Optional.of(new HistoryEntry(commit.name(), time(commit), promotionId, env,
        value(footers, Trailers.APPLICATION), value(footers, Trailers.IMAGE), ImageDigest.orNull(digest),
        ImageDigest.orNull(previous), value(footers, Trailers.SOURCE_REVISION),
        initiator(footers), values(footers, Trailers.APPROVED_BY),
        values(footers, Trailers.ROLLBACK_OF), value(footers, Trailers.ROLLBACK_TO), commit.getShortMessage(),
        author(commit), malformed == null ? null : TRAILERS_DO_NOT_MATCH + ": the " + malformed + " is not an image"
            + " digest (sha256: followed by 64 lowercase hex digits)",
        values(footers, DryRunEvidence.ROLLBACK_SAFETY).contains(DryRunEvidence.RESTORE_REQUIRED),
        "true".equals(value(footers, Trailers.ROLLBACK_IMAGE_ONLY))
            ? Objects.requireNonNullElse(value(footers, Trailers.IMAGE_ONLY_JUSTIFICATION), "") : null,
        value(footers, Trailers.RESTORED_DATABASE)));
  }

  private static Instant time(RevCommit commit) {
    return Instant.ofEpochSecond(commit.getCommitTime());
  }

  private static String author(RevCommit commit) {
    PersonIdent author = commit.getAuthorIdent();
    return author.getName() + " <" + author.getEmailAddress() + ">";
  }

  /** The authenticated initiator, else the claimed one marked as such. */
  static String initiator(List<FooterLine> footers) {
    String verified = value(footers, Trailers.INITIATED_BY);
    String claimed = value(footers, Trailers.INITIATED_BY_CLAIM);
    return verified != null ? verified : claimed == null ? null : claimed + " (claimed)";
  }

  static String value(List<FooterLine> footers, String key) {
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
