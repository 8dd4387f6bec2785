package io.odoogitops.gitops;

import io.odoogitops.ReleaseException;
import io.odoogitops.trust.CommitSignature;
import io.odoogitops.trust.CommitSignatures;
import io.odoogitops.trust.Role;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.revwalk.FooterLine;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevSort;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.revwalk.filter.RevFilter;
import org.eclipse.jgit.treewalk.filter.AndTreeFilter;
import org.eclipse.jgit.treewalk.filter.PathFilter;
import org.eclipse.jgit.treewalk.filter.TreeFilter;

/**
 * The record commits ({@link RecordCommit}) that touched one directory under {@link RecordCommit#RECORDS_DIRECTORY},
 * newest first, with their trailers. Under a trust root, a commit not signed by a release-manager key is returned as
 * not {@link Entry#counts() counting}: records are inert unless signed, exactly like promotions.
 */
public final class RecordLog {

  /**
   * One record commit.
   *
   * @param trailers every trailer, by key, values in order
   * @param problem why it does not count (unsigned under a trust root), or null
   */
  public record Entry(String commitId, Instant time, String subject, Map<String, List<String>> trailers,
      String problem) {

    public boolean counts() {
      return problem == null;
    }

    /** The first value of {@code key}, or null. */
    public String value(String key) {
      List<String> values = trailers.get(key);
      return values == null || values.isEmpty() ? null : values.get(0);
    }
  }

  private RecordLog() {}

  /**
   * The newest {@code max} commits at or before {@code snapshot} that changed files under {@code directory}. The
   * snapshot must come from {@code repository}.
   */
  public static List<Entry> read(GitOpsRepository repository, Snapshot snapshot, String directory, int max) {
    if (!directory.startsWith(RecordCommit.RECORDS_DIRECTORY + "/")) {
      throw new IllegalArgumentException(directory + " is not under " + RecordCommit.RECORDS_DIRECTORY);
    }
    List<Entry> out = new ArrayList<>();
    try (RevWalk walk = new RevWalk(repository.repository())) {
      walk.sort(RevSort.COMMIT_TIME_DESC);
      walk.setRevFilter(RevFilter.ALL);
      walk.setTreeFilter(AndTreeFilter.create(PathFilter.create(directory), TreeFilter.ANY_DIFF));
      walk.markStart(walk.parseCommit(snapshot.head()));
      RevCommit commit;
      while (out.size() < max && (commit = walk.next()) != null) {
        Map<String, List<String>> trailers = new LinkedHashMap<>();
        for (FooterLine line : commit.getFooterLines()) {
          trailers.computeIfAbsent(line.getKey(), k -> new ArrayList<>()).add(line.getValue().strip());
        }
        String problem = null;
        if (repository.trust().isPresent()) {
          CommitSignature signature = CommitSignatures.verify(commit, repository.trust().get().root(),
              Role.RELEASE_MANAGER);
          if (!signature.trusted()) {
            problem = "not signed by a release-manager key of the " + repository.trust().get().root().describe()
                + " (" + signature.summary() + ")";
          }
        }
        out.add(new Entry(commit.name(), commit.getCommitterIdent().getWhenAsInstant(), commit.getShortMessage(),
            trailers, problem));
      }
    } catch (IOException e) {
      throw ReleaseException.infrastructure("cannot read the records under " + directory + " from the GitOps cache: "
          + e.getMessage(), e);
    }
    return out;
  }
}
