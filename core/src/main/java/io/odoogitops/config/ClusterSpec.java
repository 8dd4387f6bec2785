package io.odoogitops.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;

/**
 * Where an environment runs in the cluster, for verification after a promotion and for the dry-run's upgrade Job.
 * Connection details (kubeconfig, token) are per machine and secret, so they never appear here.
 *
 * @param namespace namespace of the workload
 * @param workload {@code deployment/NAME} or {@code statefulset/NAME}
 * @param container the container that must run the digest (default: any container of the pod template)
 * @param argo the Argo CD Application that deploys the environment (exactly one of argo and flux)
 * @param flux the Flux Kustomization that deploys the environment
 * @param timeout how long verification waits (default PT10M)
 * @param pollInterval how often it looks (default PT5S)
 * @param autoRollback whether a failed verification rolls back in one step (default false)
 * @param upgradeJob where the dry-run may run Odoo's own module upgrade as a Job; null: not at all
 * @param cloudNativePG the CloudNativePG cluster of the environment's database, for restore points; null: none
 */
public record ClusterSpec(
    @JsonProperty("namespace") String namespace,
    @JsonProperty("workload") String workload,
    @JsonProperty("container") String container,
    @JsonProperty("argo") Argo argo,
    @JsonProperty("flux") Flux flux,
    @JsonProperty("timeout") Duration timeout,
    @JsonProperty("pollInterval") Duration pollInterval,
    @JsonProperty("autoRollback") Boolean autoRollback,
    @JsonProperty("upgradeJob") UpgradeJob upgradeJob,
    @JsonProperty("cloudNativePG") CloudNativePG cloudNativePG) {

  // RFC 1123 subdomain: what Kubernetes accepts for namespaces and most object names.
  private static final java.util.regex.Pattern OBJECT_NAME =
      java.util.regex.Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

  public ClusterSpec {
    autoRollback = autoRollback != null && autoRollback;
  }

  /** Whether Kubernetes accepts {@code value} as a namespace or object name; false for null. */
  public static boolean isObjectName(String value) {
    return value != null && OBJECT_NAME.matcher(value).matches();
  }

  /** An Argo CD Application. */
  public record Argo(@JsonProperty("application") String application, @JsonProperty("namespace") String namespace) {
    public Argo {
      namespace = namespace == null ? "argocd" : namespace;
    }
  }

  /** A Flux Kustomization. */
  public record Flux(@JsonProperty("kustomization") String kustomization,
      @JsonProperty("namespace") String namespace) {
    public Flux {
      namespace = namespace == null ? "flux-system" : namespace;
    }
  }

  /**
   * The namespace, time limit and service account of the dry-run's Odoo upgrade Job, and the host its pod reaches the
   * clone's server by. The host is per environment because each tenant of a fleet may clone on its own server, which
   * the cluster resolves by a name of its own (e.g. {@code pg-acme.staging.svc}); null: the host the clone was made on.
   */
  public record UpgradeJob(@JsonProperty("namespace") String namespace, @JsonProperty("timeout") Duration timeout,
      @JsonProperty("serviceAccount") String serviceAccount, @JsonProperty("databaseHost") String databaseHost) {

    // A DNS name or an IPv4 address, or an IPv6 address; it reaches the pod as PGHOST, never a shell.
    private static final java.util.regex.Pattern HOST =
        java.util.regex.Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?|[0-9A-Fa-f:.]{2,45}");

    public UpgradeJob(String namespace, Duration timeout, String serviceAccount) {
      this(namespace, timeout, serviceAccount, null);
    }

    void validate(String at, ConfigProblems problems) {
      if (namespace != null && !isObjectName(namespace)) {
        problems.at(at + "/namespace", "'" + namespace + "' is not a Kubernetes namespace name (lowercase letters,"
            + " digits, '-' and '.')");
      }
      if (serviceAccount != null && !isObjectName(serviceAccount)) {
        problems.at(at + "/serviceAccount", "'" + serviceAccount + "' is not a Kubernetes service account name"
            + " (lowercase letters, digits, '-' and '.')");
      }
      requirePositive(at + "/timeout", timeout, problems);
      if (databaseHost != null && !HOST.matcher(databaseHost).matches()) {
        problems.at(at + "/databaseHost", "'" + databaseHost + "' is not a host name or IP address; give the clone"
            + " server's host as the cluster resolves it, e.g. pg.staging.svc");
      }
    }
  }

  /**
   * The CloudNativePG {@code Cluster} restore points back up with an on-demand {@code Backup}.
   *
   * @param cluster name of the {@code postgresql.cnpg.io/v1} Cluster
   * @param namespace default: the cluster block's namespace
   * @param method barmanObjectStore, volumeSnapshot or plugin (default: the Backup's default, barmanObjectStore)
   * @param plugin for method plugin: the plugin's name, e.g. barman-cloud.cloudnative-pg.io
   * @param timeout how long to wait for the backup to complete (default PT1H)
   */
  public record CloudNativePG(@JsonProperty("cluster") String cluster, @JsonProperty("namespace") String namespace,
      @JsonProperty("method") String method, @JsonProperty("plugin") String plugin,
      @JsonProperty("timeout") Duration timeout) {

    public static final java.util.List<String> METHODS = java.util.List.of("barmanObjectStore", "volumeSnapshot",
        "plugin");

    public CloudNativePG {
      timeout = timeout == null ? Duration.ofHours(1) : timeout;
    }

    void validate(String at, ConfigProblems problems) {
      RestoreSpec.kubernetesName(at + "/cluster", cluster, "'cluster' (the CloudNativePG Cluster's name)", problems);
      if (namespace != null) {
        RestoreSpec.kubernetesName(at + "/namespace", namespace, "'namespace'", problems);
      }
      if (method != null && !METHODS.contains(method)) {
        problems.at(at + "/method", "'" + method + "' is not a backup method; use one of "
            + String.join(", ", METHODS));
      }
      if ("plugin".equals(method) != (plugin != null)) {
        problems.at(at, "'plugin' names the backup plugin and goes with 'method: plugin' only");
      }
      requirePositive(at + "/timeout", timeout, problems);
    }
  }

  void validate(String at, ConfigProblems problems) {
    if (namespace == null || namespace.isBlank()) {
      problems.at(at, "'namespace' is required: the namespace of the workload");
    }
    if (workload == null || !workload.matches("(?i)(deployment|statefulset)/[a-z0-9]([a-z0-9.-]*[a-z0-9])?")) {
      problems.at(at + "/workload", "name the workload as deployment/NAME or statefulset/NAME");
    }
    if ((argo == null) == (flux == null)) {
      problems.at(at, "name exactly one GitOps controller: 'argo: { application: … }' or"
          + " 'flux: { kustomization: … }'");
    }
    if (argo != null && (argo.application() == null || argo.application().isBlank())) {
      problems.at(at + "/argo", "'application' is required");
    }
    if (flux != null && (flux.kustomization() == null || flux.kustomization().isBlank())) {
      problems.at(at + "/flux", "'kustomization' is required");
    }
    requirePositive(at + "/timeout", timeout, problems);
    requirePositive(at + "/pollInterval", pollInterval, problems);
    if (cloudNativePG != null) {
      cloudNativePG.validate(at + "/cloudNativePG", problems);
    }
    if (upgradeJob != null) {
      upgradeJob.validate(at + "/upgradeJob", problems);
    }
  }

  static void requirePositive(String at, Duration value, ConfigProblems problems) {
    if (value != null && (value.isNegative() || value.isZero())) {
      problems.at(at, "must be a positive ISO-8601 duration such as PT10M");
    }
  }
}
