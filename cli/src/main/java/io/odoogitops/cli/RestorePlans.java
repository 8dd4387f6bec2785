package io.odoogitops.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.odoogitops.config.EnvironmentSpec;
import io.odoogitops.gitops.RestoreRequired;
import io.odoogitops.restore.backup.RestorePlanner;
import java.time.Clock;
import java.util.function.Supplier;

/** The restore plan printed when a rollback of a RESTORE_REQUIRED release is refused (rollback, promote --verify). */
final class RestorePlans {

  private RestorePlans() {}

  /**
   * The plan of restoring the point recorded with the rolled-back release; when it cannot be made here (the cluster
   * unreachable, the backup gone), why, and the command that prints it elsewhere.
   */
  static String text(RestoreRequired refusal, EnvironmentSpec environment, Supplier<KubernetesClient> cluster) {
    return new RestorePlanner(Clock.systemUTC(), cluster).refusalText(refusal.point(), environment,
        refusal.planCommand());
  }
}
