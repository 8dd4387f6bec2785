package io.odoogitops.gitops;

import io.odoogitops.ReleaseException;
import io.odoogitops.restore.RestorePoint;
import io.odoogitops.restore.RestorePointEvidence;
import java.util.Optional;

/**
 * The refusal of an image-only rollback of a release whose dry-run said RESTORE_REQUIRED: the previous image cannot
 * run on the migrated schema. It carries what a front end needs to print the restore plan (the point recorded with
 * the rolled-back promotion, if any), which the GitOps engine cannot plan itself: planning reads the cluster.

 */
public final class RestoreRequired extends ReleaseException {

  private final String environment;
  private final String application;
  private final transient HistoryEntry release;
  private final transient Optional<RestorePoint> point;
  private final String unverified;

  RestoreRequired(String environment, String application, HistoryEntry release, Optional<RestorePoint> point,
      String unverified, String message) {
    super(Kind.REFUSED, message);
    this.unverified = unverified;
    this.environment = environment;
    this.application = application;
    this.release = release;
    this.point = point;
  }

  public String environment() {
    return environment;
  }

  public String application() {
    return application;
  }

  /** The promotion the rollback would undo, whose commit says {@code Rollback-Safety: restore-required}. */
  public HistoryEntry release() {
    return release;
  }

  /** The restore point recorded with that promotion (its committed evidence file); empty when none was. */
  public Optional<RestorePoint> point() {
    return point;
  }

  /**
   * Why the point committed with that promotion failed the gate's checks when re-read (its signature, or a point of
   * another release); empty when it passed or none was recorded. Such a point is never in {@link #point()}.
   */
  public Optional<String> unverified() {
    return Optional.ofNullable(unverified);
  }

  /** This refusal with {@code plan} (the restore plan, or how to print it) after its message, as front ends show it. */
  public ReleaseException withPlan(String plan) {
    return ReleaseException.refused(getMessage() + "\n\n" + plan);
  }

  /** How to print the restore plan from the committed evidence, for a front end that cannot plan it itself. */
  public String planCommand() {
    return point.map(p -> "git show " + release.commitId().substring(0, 12) + ":"
        + RestorePointEvidence.repositoryPath(p) + " > restore-point.json && odoo-gitops restore-point plan --env "
        + environment + " --app " + application + " --point restore-point.json")
        .orElse(unverified != null ? "no restore plan: the restore point committed with promotion "
            + release.promotionId() + " does not verify (see above); do not restore from it"
            : "no restore point was recorded with the release, so there is no plan to print");
  }
}
