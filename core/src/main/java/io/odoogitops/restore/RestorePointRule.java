package io.odoogitops.restore;

import io.odoogitops.ImageDigest;
import io.odoogitops.config.RestorePointPolicy;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The gate's rule for restore points, as one function so the gate, the CLI and the plugin judge alike: a promotion
 * to an environment whose {@code restorePoint} policy asks for one needs a point of that environment and
 * application, bound to the promoted digest, taken after the last dry-run.
 */
public final class RestorePointRule {

  private RestorePointRule() {}

  /**
   * Why the promotion may not proceed; empty when no point is needed or the given one protects it.
   *
   * @param restoreRequired whether the dry-run of {@code digest} said RESTORE_REQUIRED
   * @param dryRunAt when that dry-run finished; a point must not be older
   */
  public static List<String> problems(RestorePointPolicy policy, boolean restoreRequired,
      Optional<RestorePoint> point, String environment, String application, ImageDigest digest, Instant dryRunAt) {
    if (!policy.requires(restoreRequired)) {
      return List.of();
    }
    if (point.isEmpty()) {
      return List.of("no restore point: " + environment + " requires one (restorePoint: " + policy.yamlName()
          + (restoreRequired ? "; the dry-run said RESTORE_REQUIRED" : "") + "); take one with 'odoo-gitops"
          + " restore-point take --env " + environment + " --app " + application + " --digest " + digest + "'");
    }
    return point.get().problemsFor(environment, application, digest, dryRunAt);
  }
}
