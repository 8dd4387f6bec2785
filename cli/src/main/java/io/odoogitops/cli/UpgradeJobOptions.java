package io.odoogitops.cli;

import io.odoogitops.ReleaseException;
import io.odoogitops.cluster.UpgradeJobSettings;
import io.odoogitops.cluster.UpgradeJobSpec;
import io.odoogitops.config.ClusterSpec;
import io.odoogitops.config.EnvironmentSpec;
import java.time.Duration;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The dry-run's optional {@code odoo -u} phase as a Kubernetes Job: whether it runs, where, and how its pod reaches
 * the clone. Flags win over the environment's {@code cluster.upgradeJob} block of odoo-gitops.yaml.
 */
final class UpgradeJobOptions {

  @Option(names = "--upgrade-job",
      description = "After the SQL migrations, run odoo -u of the modules the upgrade plan upgrades (all without a"
          + " plan) from the image, pinned by --image-digest, as a Kubernetes Job against the clone; a failure, an"
          + " ERROR/CRITICAL log line or the timeout FAILs the dry-run. Needs --strategy template or dump, --image"
          + " and a namespace.")
  boolean enabled;

  @Option(names = "--upgrade-job-namespace", paramLabel = "NAMESPACE",
      description = "Namespace of the Job and its credentials Secret (default: the --env's cluster.upgradeJob).")
  String namespace;

  @Option(names = "--upgrade-job-timeout", paramLabel = "DURATION", converter = DryRunCommand.DurationConverter.class,
      description = "FAIL when odoo -u takes longer (default: the --env's cluster.upgradeJob, else 30m).")
  Duration timeout;

  @Option(names = "--upgrade-job-service-account", paramLabel = "NAME",
      description = "Service account of the Job's pod (default: the --env's cluster.upgradeJob, else the"
          + " namespace's default).")
  String serviceAccount;

  @Option(names = "--upgrade-job-db-host", paramLabel = "HOST",
      description = "The staging server's host as the cluster resolves it, e.g. pg.staging.svc (default: the host"
          + " of --staging-url).")
  String databaseHost;

  @Option(names = "--env", paramLabel = "ENV",
      description = "Environment whose cluster.upgradeJob block in odoo-gitops.yaml (--config, or --repo) gives the"
          + " upgrade Job's defaults.")
  String environment;

  @Mixin
  PolicyConfigOption config;

  @Mixin
  ClusterConnectionOptions cluster;

  /** Checked before anything is cloned: a flag without {@code --upgrade-job} is a mistake, not a no-op. */
  void requireConsistent(boolean strategyReachableFromCluster, String image) {
    if (!enabled) {
      if (namespace != null || timeout != null || serviceAccount != null || databaseHost != null
          || environment != null) {
        throw ReleaseException.badInput("--upgrade-job-* and --env only apply with --upgrade-job; add it or drop"
            + " them");
      }
      return;
    }
    if (!strategyReachableFromCluster) {
      throw ReleaseException.badInput("--upgrade-job runs Odoo in the cluster against the clone, and embedded"
          + " clones live on this machine only; use --strategy template or dump with a --staging-url the cluster can"
          + " reach (its host as the cluster sees it in --upgrade-job-db-host)");
    }
    if (image == null) {
      throw ReleaseException.badInput("--upgrade-job needs --image (registry/repository[:tag]): the Job runs that"
          + " repository at --image-digest");
    }
  }

  UpgradeJobSettings settings() {
    ClusterSpec.UpgradeJob configured = environment == null ? null : configured();
    String chosenNamespace = namespace != null ? namespace : configured == null ? null : configured.namespace();
    if (chosenNamespace == null) {
      throw ReleaseException.badInput("--upgrade-job needs a namespace: pass --upgrade-job-namespace, or --env with"
          + " a cluster.upgradeJob block in odoo-gitops.yaml");
    }
    Duration chosenTimeout = timeout != null ? timeout
        : configured != null && configured.timeout() != null ? configured.timeout() : UpgradeJobSpec.DEFAULT_TIMEOUT;
    return UpgradeJobSettings.builder()
        .namespace(chosenNamespace)
        .timeout(chosenTimeout)
        .serviceAccount(serviceAccount != null ? serviceAccount : configured == null ? null
            : configured.serviceAccount())
        .databaseHost(databaseHost)
        .build();
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
