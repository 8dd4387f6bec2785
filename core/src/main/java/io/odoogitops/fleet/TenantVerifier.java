package io.odoogitops.fleet;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.odoogitops.ImageDigest;
import io.odoogitops.ReleaseException;
import io.odoogitops.cluster.ClusterTarget;
import io.odoogitops.cluster.ClusterVerifier;
import io.odoogitops.cluster.LaterRevisions;
import io.odoogitops.cluster.ProgressListener;
import io.odoogitops.cluster.VerificationReport;
import io.odoogitops.cluster.VerificationRequest;
import io.odoogitops.config.ClusterSpec;
import java.util.function.Function;

/**
 * Verifies one tenant's promotion in its cluster. Only tenants with a {@code cluster:} block are verified; a promotion
 * to a tenant without one counts as verified when it lands. Called from several threads at once (at most the wave's
 * {@code maxParallel}).
 */
@FunctionalInterface
public interface TenantVerifier {

  /**
   * Waits until {@code commit} is applied in the tenant's cluster and its workload runs {@code digest}, or fails.
   * Never rolls back: the fleet does, with its own trailers.
   *
   * @return the report; a failed verification is a report, not an exception
   * @throws ReleaseException when the cluster cannot be asked (bad credentials, unreachable API server)
   */
  VerificationReport verify(String tenant, ClusterSpec cluster, String application, String commit, ImageDigest digest);

  /**
   * Like {@link #verify(String, ClusterSpec, String, String, String)}, taking a later commit the controller synced for
   * {@code commit} when {@code later} says it descends from it and still deploys {@code digest}, and reporting
   * {@code SUPERSEDED} when it deploys another digest. The rollout passes its repository's; by default ignored.
   */
  default VerificationReport verify(String tenant, ClusterSpec cluster, String application, String commit,
      ImageDigest digest, LaterRevisions later) {
    return verify(tenant, cluster, application, commit, digest);
  }

  /**
   * The existing {@link ClusterVerifier} against each tenant's cluster: {@code clients} opens a client for a tenant's
   * cluster block (the caller's connection options); it is closed after the verification.
   */
  static TenantVerifier cluster(Function<ClusterSpec, KubernetesClient> clients, ProgressListener listener) {
    return new TenantVerifier() {
      @Override
      public VerificationReport verify(String tenant, ClusterSpec cluster, String application, String commit,
          ImageDigest digest) {
        return verify(tenant, cluster, application, commit, digest, LaterRevisions.NONE);
      }

      @Override
      public VerificationReport verify(String tenant, ClusterSpec cluster, String application, String commit,
          ImageDigest digest, LaterRevisions later) {
        ClusterTarget target = ClusterTarget.from(cluster).build();
        try (KubernetesClient client = clients.apply(cluster)) {
          return new ClusterVerifier(client, listener, null, later).verify(target,
              new VerificationRequest(tenant, application, commit, digest, false));
        }
      }
    };
  }

  /** For fleets without clusters: refuses, since no tenant with a {@code cluster:} block may pass unverified. */
  TenantVerifier NONE = (tenant, cluster, application, commit, digest) -> {
    throw ReleaseException.badInput("tenant '" + tenant + "' has a 'cluster:' block, so its promotion must be"
        + " verified, but no cluster connection was given; pass the cluster options (--kubeconfig, --context, ...;"
        + " see docs/cluster.md)");
  };
}
