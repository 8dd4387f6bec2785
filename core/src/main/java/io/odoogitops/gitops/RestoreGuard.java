package io.odoogitops.gitops;

import io.odoogitops.ImageDigest;
import io.odoogitops.ReleaseException;
import io.odoogitops.config.EnvironmentSpec;
import io.odoogitops.config.ReleaseConfig;
import io.odoogitops.config.RepoPath;
import io.odoogitops.config.RestoreSpec;
import io.odoogitops.policy.ConfigGroupDirectory;
import io.odoogitops.policy.ReleasePolicy;
import io.odoogitops.policy.Trailer;
import io.odoogitops.restore.RestorePoint;
import io.odoogitops.restore.RestorePointEvidence;
import io.odoogitops.restore.RestorePointRef;
import io.odoogitops.restore.RestorePointSignature;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Keeps a rollback from starting an old image on a schema it cannot read. When a promotion the rollback undoes says
 * {@code Rollback-Safety: restore-required}, only two rollbacks land: one that switches the environment to the
 * database restored from the point (in the same commit as the old digest), or an image-only one with a
 * justification, for teams who fix forward. Both are recorded in trailers; anything else is a {@link RestoreRequired}
 * refusal carrying the point recorded with the promotion, for the restore plan.
 */
final class RestoreGuard {

  /** The restored database, written at {@code path} of {@code file} (a repository path). */
  record Switch(String file, String path, String database) {}

  /** The trailers the rollback commit carries, and the switch it makes (null for none). */
  record Outcome(List<Trailer> trailers, Switch databaseSwitch) {}

  private final GitOpsRepository repository;
  private final Snapshot snapshot;
  private final EnvironmentSpec environment;
  private final String application;

  RestoreGuard(GitOpsRepository repository, Snapshot snapshot, EnvironmentSpec environment, String application) {
    this.repository = repository;
    this.snapshot = snapshot;
    this.environment = environment;
    this.application = application;
  }

  Outcome check(List<String> undoneStates, RollbackRequest request) {
    Optional<Release> release = restoreRequired(undoneStates);
    List<Trailer> trailers = new ArrayList<>();
    if (request.restoredDatabase() != null) {
      Switch databaseSwitch = switchTo(request.restoredDatabase());
      trailers.add(new Trailer(Trailers.RESTORED_DATABASE, databaseSwitch.database()));
      trailers.add(new Trailer(Trailers.DATABASE_SWITCH, databaseSwitch.file() + " " + databaseSwitch.path()));
      release.flatMap(Release::point).ifPresent(point -> trailers.add(new Trailer(Trailers.RESTORED_FROM,
          point.ref().trailerValue())));
      return new Outcome(trailers, databaseSwitch);
    }
    if (release.isEmpty()) {
      return new Outcome(trailers, null);
    }
    if (request.imageOnly()) {
      trailers.add(new Trailer(Trailers.ROLLBACK_IMAGE_ONLY, "true"));
      trailers.add(new Trailer(Trailers.IMAGE_ONLY_JUSTIFICATION, request.justification()));
      return new Outcome(trailers, null);
    }
    throw refusal(release.get());
  }

  /** A promotion undone by the rollback, whose commit says its rollback needs a restore. */
  private record Release(HistoryEntry entry, Optional<RestorePoint> point, String pointProblem, String unverified) {

    Release(HistoryEntry entry, Optional<RestorePoint> point, String pointProblem) {
      this(entry, point, pointProblem, null);
    }
  }

  /**
   * The OLDEST undone promotion whose dry-run said RESTORE_REQUIRED, with the point its commit recorded: a rollback
   * across several such releases must go back to the database as it was before the first of them, since a point taken
   * before a later one already holds the schema of the earlier.
   */
  private Optional<Release> restoreRequired(List<String> undoneStates) {
    if (undoneStates.isEmpty()) {
      return Optional.empty();
    }
    Set<String> wanted = new HashSet<>(undoneStates);
    Optional<Release> oldest = Optional.empty();
    // A state's id is the id of the promotion that first made it: that commit carries the dry-run's safety.
    try (ReleaseHistory.Entries entries = snapshot.history(environment.name()).promotions(application,
        e -> !e.isRollback() && wanted.contains(e.promotionId()), null)) {
      while (!wanted.isEmpty() && entries.hasNext()) {
        HistoryEntry entry = entries.next();
        wanted.remove(entry.promotionId());
        if (entry.restoreRequired()) {
          oldest = Optional.of(release(entry, Trailers.read(repository, entry.commitId(),
              List.of(RestorePointRef.TRAILER)).get(RestorePointRef.TRAILER)));
        }
      }
    }
    return oldest;
  }

  /** The point as the promotion committed it; its file must say what its trailer says. */
  private Release release(HistoryEntry entry, List<String> pointTrailers) {
    if (pointTrailers.isEmpty()) {
      return new Release(entry, Optional.empty(), "no restore point was recorded with that promotion");
    }
    try {
      RestorePointRef ref = RestorePointRef.parse(pointTrailers.get(0));
      String path = RestorePointEvidence.repositoryPath(environment.name(), application, ref);
      Optional<byte[]> file = repository.snapshotAt(entry.commitId()).read(path);
      if (file.isEmpty()) {
        return new Release(entry, Optional.empty(), "the promotion names the restore point " + ref
            + ", but its evidence file " + path + " is not in the commit");
      }
      RestorePoint point = RestorePointEvidence.fromJson(new String(file.get(), StandardCharsets.UTF_8), path);
      if (!point.ref().equals(ref) || !point.environment().equals(environment.name())
          || !point.application().equals(application)) {
        return new Release(entry, Optional.empty(), "the evidence file " + path + " describes " + point.ref()
            + " of " + point.application() + " in " + point.environment() + ", not the trailer's " + ref);
      }
      List<String> untrusted = verify(entry, point, path);
      if (!untrusted.isEmpty()) {
        return new Release(entry, Optional.empty(), null, String.join("; ", untrusted));
      }
      return new Release(entry, Optional.of(point), null);
    } catch (ReleaseException e) {
      if (e.kind() == ReleaseException.Kind.INFRASTRUCTURE) {
        throw e;
      }
      return new Release(entry, Optional.empty(), "the recorded restore point cannot be read: " + e.getMessage());
    }
  }

  /**
   * The gate's checks, again, on the point as committed: anyone who can push could have changed the evidence since (or
   * rewritten the promotion commit where no trust root guards it), and a plan read from it would send the restore to
   * another backup. The policy is the snapshot's, which under a trust root is the sanctioned one; the signer is judged
   * at the promotion's time, when the gate accepted the point.
   */
  private List<String> verify(HistoryEntry entry, RestorePoint point, String path) {
    String signature = repository.snapshotAt(entry.commitId()).read(path + RestorePointSignature.SUFFIX)
        .map(bytes -> new String(bytes, StandardCharsets.UTF_8)).orElse(null);
    ReleaseConfig config = snapshot.config();
    return ReleasePolicy.of(config, ConfigGroupDirectory.of(config), snapshot.policyFiles())
        .restorePointProblems(environment.name(), application, entry.digest(), point, signature, entry.time());
  }

  private RestoreRequired refusal(Release release) {
    HistoryEntry entry = release.entry();
    String env = environment.name();
    String restore = release.point().map(point -> "Restore the database to the restore point " + point.ref()
        + " recorded with that promotion (the plan follows)")
        .orElseGet(() -> release.unverified() != null ? unverified(release)
            : release.pointProblem() + ": restore the database from the newest backup taken before "
                + entry.time() + " (the promotion's commit time), as your backup tooling allows");
    return new RestoreRequired(env, application, entry, release.point(), release.unverified(), "rollback of " + application + " in " + env
        + " refused: the release " + ImageDigest.shortForm(entry.digest()) + " (promotion " + entry.promotionId()
        + ", commit " + entry.commitId().substring(0, 12) + ") was RESTORE_REQUIRED: the previous image cannot run"
        + " on the schema it migrated, so rolling back only the image would start it on a database it cannot read."
        + " Nothing was committed.\n"
        + "  " + restore + ", then roll back the image and switch the database in one commit: 'odoo-gitops rollback"
        + " --env " + env + " --app " + application + " --restored-database NAME'"
        + (switchSetting().isEmpty() ? " (set restore.switch: { file: …, path: … } for " + env
            + " in odoo-gitops.yaml first)" : "") + ".\n"
        + "  To fix forward instead, roll back the image alone: --image-only --justification TEXT (recorded in"
        + " the commit).");
  }

  /** What to say instead of a plan when the committed point does not verify: never a plan from its evidence. */
  private static String unverified(Release release) {
    HistoryEntry entry = release.entry();
    return "the restore point committed with promotion " + entry.promotionId() + " (commit "
        + entry.commitId().substring(0, 12) + ") does not verify: " + release.unverified() + "; do not restore from"
        + " it (its evidence may name another backup or another time). Find the point with your backup operator"
        + " (the newest backup taken before " + entry.time() + ", the promotion's commit time), or take the plan"
        + " from 'git show' of the evidence only after verifying it yourself (docs/restore-points.md)";
  }

  private Optional<RestoreSpec.Switch> switchSetting() {
    return Optional.ofNullable(environment.restore()).map(RestoreSpec::databaseSwitch);
  }

  private Switch switchTo(String database) {
    RestoreSpec.Switch setting = switchSetting().orElseThrow(() -> ReleaseException.badInput("--restored-database"
        + " needs to know where " + environment.name() + "'s manifests name the database: set environments."
        + environment.name() + ".restore.switch: { file: values.yaml, path: odoo.database.host } in odoo-gitops.yaml"
        + " (docs/restore-points.md); nothing was committed"));
    String dir = environment.directory();
    return new Switch(RepoPath.normalize(dir.isEmpty() ? setting.file() : dir + "/" + setting.file()),
        setting.path(), database);
  }
}
