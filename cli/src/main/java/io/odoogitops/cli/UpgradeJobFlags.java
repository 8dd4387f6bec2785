package io.odoogitops.cli;

import io.odoogitops.ReleaseException;
import io.odoogitops.cluster.ProgressListener;
import io.odoogitops.cluster.UpgradeJobSettings;
import io.odoogitops.cluster.UpgradeJobSpec;
import io.odoogitops.config.ClusterSpec;
import java.io.PrintWriter;
import java.time.Duration;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The flags of the {@code odoo -u} Kubernetes Job that {@code dry-run} and {@code fleet dry-run} share; where their
 * defaults come from (one {@code --env}'s block, or each tenant's own) is the subclass's or the caller's.
 */
class UpgradeJobFlags {

  @Option(names = "--upgrade-job",
      description = "After the SQL migrations, run odoo -u of the modules the upgrade plan upgrades (all without a"
          + " plan) from the image, pinned by its digest, as a Kubernetes Job against the clone; a failure, an"
          + " ERROR/CRITICAL log line or the timeout FAILs the dry-run. Needs --strategy template or dump, --image"
          + " and a namespace.")
  boolean enabled;

  @Option(names = "--upgrade-job-namespace", paramLabel = "NAMESPACE",
      description = "Namespace of the Job and its credentials Secret (default: the cluster.upgradeJob block).")
  String namespace;

  @Option(names = "--upgrade-job-timeout", paramLabel = "DURATION", converter = DryRunCommand.DurationConverter.class,
      description = "FAIL when odoo -u takes longer (default: the cluster.upgradeJob block, else 30m).")
  Duration timeout;

  @Option(names = "--upgrade-job-service-account", paramLabel = "NAME",
      description = "Service account of the Job's pod (default: the cluster.upgradeJob block, else the namespace's"
          + " default).")
  String serviceAccount;

  @Option(names = "--upgrade-job-db-host", paramLabel = "HOST",
      description = "The staging server's host as the cluster resolves it, e.g. pg.staging.svc (default: the"
          + " cluster.upgradeJob block's databaseHost, else the host the clone was made on).")
  String databaseHost;

  @Mixin
  ClusterConnectionOptions cluster;

  /**
   * Checked before anything is cloned: a flag without {@code --upgrade-job} is a mistake, not a no-op.
   *
   * @param more whether a further option of the caller that only applies with the Job was given
   * @param named how the error names the Job's flags and that option
   */
  void requireConsistent(boolean strategyReachableFromCluster, String image, boolean more, String named) {
    if (!enabled) {
      if (namespace != null || timeout != null || serviceAccount != null || databaseHost != null || more) {
        throw ReleaseException.badInput(named + " only apply with --upgrade-job; add it or drop them");
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

  /**
   * The Job's settings: the flags over {@code configured} (a {@code cluster.upgradeJob} block, or null).
   *
   * @param orConfigure how else a namespace can be given, for the error
   */
  UpgradeJobSettings settings(ClusterSpec.UpgradeJob configured, String orConfigure) {
    String chosenNamespace = namespace != null ? namespace : configured == null ? null : configured.namespace();
    if (chosenNamespace == null) {
      throw ReleaseException.badInput("--upgrade-job needs a namespace: pass --upgrade-job-namespace, or "
          + orConfigure);
    }
    Duration chosenTimeout = timeout != null ? timeout
        : configured != null && configured.timeout() != null ? configured.timeout() : UpgradeJobSpec.DEFAULT_TIMEOUT;
    return UpgradeJobSettings.builder()
        .namespace(chosenNamespace)
        .timeout(chosenTimeout)
        .serviceAccount(serviceAccount != null ? serviceAccount : configured == null ? null
            : configured.serviceAccount())
        .databaseHost(databaseHost != null ? databaseHost : configured == null ? null : configured.databaseHost())
        .build();
  }

  /**
   * The Job's progress and Odoo's log, streamed as they come (an upgrade runs for minutes), each line behind
   * {@code prefix}; one writer may serve several Jobs at once, so lines are written whole.
   */
  static ProgressListener progress(PrintWriter err, String prefix) {
    return new ProgressListener() {
      @Override
      public void progress(String message) {
        synchronized (err) {
          err.println(prefix + "upgrade job: " + message);
          err.flush();
        }
      }

      @Override
      public void podLog(String pod, String line) {
        synchronized (err) {
          err.println(prefix + "odoo | " + line);
          err.flush();
        }
      }
    };
  }
}
