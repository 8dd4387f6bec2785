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
    @JsonProperty("upgradeJob") UpgradeJob upgradeJob) {

  public ClusterSpec {
    autoRollback = autoRollback != null && autoRollback;
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

  /** The namespace, time limit and service account of the dry-run's Odoo upgrade Job. */
  public record UpgradeJob(@JsonProperty("namespace") String namespace, @JsonProperty("timeout") Duration timeout,
      @JsonProperty("serviceAccount") String serviceAccount) {}

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
  }

  private static void requirePositive(String at, Duration value, ConfigProblems problems) {
    if (value != null && (value.isNegative() || value.isZero())) {
      problems.at(at, "must be a positive ISO-8601 duration such as PT10M");
    }
  }
}
