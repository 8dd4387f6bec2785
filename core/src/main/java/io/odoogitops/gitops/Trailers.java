package io.odoogitops.gitops;

import io.odoogitops.ReleaseException;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.FooterLine;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/** The trailer keys of a promotion commit: the audit trail anyone can read with {@code git log}. */
public final class Trailers {

  public static final String PROMOTION_ID = "Promotion-Id";
  public static final String ENVIRONMENT = "Environment";
  public static final String APPLICATION = "Application";
  public static final String IMAGE = "Image";
  public static final String IMAGE_DIGEST = "Image-Digest";
  public static final String PREVIOUS_IMAGE_DIGEST = "Previous-Image-Digest";
  public static final String SOURCE_REVISION = "Source-Revision";
  public static final String BUILD_URL = "Build-Url";
  public static final String INITIATED_BY = "Initiated-By";
  /** An initiator nobody authenticated (the CLI's --initiator): recorded, never trusted. */
  public static final String INITIATED_BY_CLAIM = "Initiated-By-Claim";
  public static final String APPROVED_BY = "Approved-By";
  public static final String DRY_RUN = "Dry-Run";
  public static final String FREEZE_OVERRIDE = "Freeze-Override";
  public static final String OVERRIDE_JUSTIFICATION = "Override-Justification";
  public static final String ROLLBACK_OF = "Rollback-Of";
  /** The promotion whose state a rollback restored; lets later rollbacks know which state is current. */
  public static final String ROLLBACK_TO = "Rollback-To";
  /** A rollback that put back only the image of a RESTORE_REQUIRED release (fix forward): {@code true}. */
  public static final String ROLLBACK_IMAGE_ONLY = "Rollback-Image-Only";
  /** Why the image alone went back, as the person who asked wrote it. */
  public static final String IMAGE_ONLY_JUSTIFICATION = "Image-Only-Justification";
  /** The database a rollback switched the environment to, restored from a restore point. */
  public static final String RESTORED_DATABASE = "Restored-Database";
  /** Where the switch was written: {@code <repository file> <dotted path>}. */
  public static final String DATABASE_SWITCH = "Database-Switch";
  /** The restore point the restored database came from: {@code <kind> <id> <time>}, as its promotion recorded it. */
  public static final String RESTORED_FROM = "Restored-From";
  /** The fleet a promotion or rollback was made for; fleet status reads the rollout back from it. */
  public static final String FLEET = "Fleet";
  /** The wave of the fleet the promotion belonged to. */
  public static final String WAVE = "Wave";

  private Trailers() {}

  /**
   * The values of {@code keys} in the trailer block of {@code commitId}, in the repository's cache; read-only, for
   * trailers {@link HistoryEntry} does not carry. Call it on commits a {@link ReleaseHistory} returned, which are
   * within the cache's per-commit size limit.
   */
  public static Map<String, List<String>> read(GitOpsRepository repository, String commitId, List<String> keys) {
    try (RevWalk walk = new RevWalk(repository.repository())) {
      RevCommit commit = walk.parseCommit(ObjectId.fromString(commitId));
      List<FooterLine> footers = commit.getFooterLines();
      Map<String, List<String>> values = new LinkedHashMap<>();
      keys.forEach(key -> values.put(key, FooterLine.getValues(footers, key).stream().map(String::strip).toList()));
      return values;
    } catch (IOException | IllegalArgumentException e) {
      throw ReleaseException.infrastructure("cannot read the trailers of commit " + commitId + " from the GitOps"
          + " cache: " + e.getMessage(), e);
    }
  }
}
