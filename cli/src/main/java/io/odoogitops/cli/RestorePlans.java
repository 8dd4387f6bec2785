package io.odoogitops.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.odoogitops.ReleaseException;
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
    if (refusal.point().isEmpty()) {
      return refusal.planCommand();
    }
    try {
      return new RestorePlanner(Clock.systemUTC(), cluster).plan(refusal.point().get(), environment).humanText();
    } catch (ReleaseException e) {
      return cannotPlan(e.getMessage(), refusal);
    } catch (KubernetesClientException e) {
      // The refusal must reach the person on call whatever the cluster connection does.
      return cannotPlan("the cluster could not be read (" + e.getClass().getSimpleName() + ", HTTP " + e.getCode()
          + ")", refusal);
    }
  }

  private static String cannotPlan(String why, RestoreRequired refusal) {
    return "the restore plan cannot be made here: " + why + "\nprint it where it can: " + refusal.planCommand();
  }
}
