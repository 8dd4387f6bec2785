package io.odoogitops.cli;

import io.odoogitops.ReleaseException;
import io.odoogitops.cluster.UpgradeJobSettings;
import io.odoogitops.config.ClusterSpec;
import io.odoogitops.config.EnvironmentSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The dry-run's optional {@code odoo -u} phase as a Kubernetes Job: whether it runs, where, and how its pod reaches
 * the clone. Flags win over the environment's {@code cluster.upgradeJob} block of odoo-gitops.yaml.
 */
final class UpgradeJobOptions extends UpgradeJobFlags {

  @Option(names = "--env", paramLabel = "ENV",
      description = "Environment whose cluster.upgradeJob block in odoo-gitops.yaml (--config, or --repo) gives the"
          + " upgrade Job's defaults.")
  String environment;

  @Mixin
  PolicyConfigOption config;

  /** Checked before anything is cloned: a flag without {@code --upgrade-job} is a mistake, not a no-op. */
  void requireConsistent(boolean strategyReachableFromCluster, String image) {
    requireConsistent(strategyReachableFromCluster, image, environment != null, "--upgrade-job-* and --env");
  }

  UpgradeJobSettings settings() {
    return settings(environment == null ? null : configured(), "--env with a cluster.upgradeJob block in"
        + " odoo-gitops.yaml");
  }

  private ClusterSpec.UpgradeJob configured() {
    EnvironmentSpec env = config.load().environment(environment);
    if (env.cluster() == null || env.cluster().upgradeJob() == null) {
      throw ReleaseException.badInput("environment '" + environment + "' has no cluster.upgradeJob block in"
          + " odoo-gitops.yaml; add one (namespace, timeout, serviceAccount) or pass --upgrade-job-namespace");
    }
    return env.cluster().upgradeJob();
  }
}
