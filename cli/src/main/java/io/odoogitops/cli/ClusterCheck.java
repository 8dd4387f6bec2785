package io.odoogitops.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.odoogitops.ReleaseException;
import io.odoogitops.cluster.ClusterTarget;
import io.odoogitops.cluster.ClusterVerifier;
import io.odoogitops.cluster.LaterRevisions;
import io.odoogitops.cluster.RollbackTrigger;
import io.odoogitops.cluster.VerificationReport;
import io.odoogitops.cluster.VerificationRequest;
import io.odoogitops.config.ClusterSpec;
import io.odoogitops.config.EnvironmentSpec;
import java.io.PrintWriter;

/** Follows a promotion into the cluster for {@code verify} and {@code promote --verify}. */
final class ClusterCheck {

  private ClusterCheck() {}

  /** The environment's {@code cluster:} block, or a bad-input error saying how to add one. */
  static ClusterSpec clusterOf(EnvironmentSpec env) {
    if (env.cluster() == null) {
      throw ReleaseException.badInput("environment '" + env.name() + "' has no 'cluster:' block in odoo-gitops.yaml;"
          + " add one (namespace, workload, argo or flux; see docs/cluster.md) or pass the target flags to verify");
    }
    return env.cluster();
  }

  /** @param later what later commits of the branch deploy; {@link LaterRevisions#NONE} without a repository */
  static VerificationReport run(ClusterConnectionOptions connection, ClusterTarget target,
      VerificationRequest request, RollbackTrigger rollback, LaterRevisions later, PrintWriter progress) {
    try (KubernetesClient client = connection.connection().open()) {
      ClusterVerifier verifier = new ClusterVerifier(client, message -> {
        progress.println(message);
        progress.flush();
      }, rollback, later);
      return verifier.verify(target, request);
    } catch (KubernetesClientException e) {
      // Only client construction can get here (every API call is translated): a broken kubeconfig or certificate.
      throw ReleaseException.badInput("cannot connect with " + connection.connection() + ": "
          + e.getClass().getSimpleName());
    }
  }
}
