package io.odoogitops.cluster;

import io.odoogitops.config.ClusterSpec;
import io.odoogitops.ReleaseException;
import java.time.Duration;

/**
 * Where an environment runs in the cluster and how long to wait for it: the workload's namespace and kind/name, the
 * container that runs Odoo (optional: any container with the digest will do), the GitOps controller object, the
 * overall timeout and the polling interval.
 *
 * <p>Built with {@link #builder()}; the defaults (10 minutes, 5 s polls) suit a real cluster, tests shorten both.
 */
public record ClusterTarget(
    String namespace,
    WorkloadRef workload,
    String container,
    ControllerRef controller,
    Duration timeout,
    Duration pollInterval) {

  public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(5);

  public ClusterTarget {
    KubernetesNames.requireDnsName(namespace, "workload namespace");
    if (workload == null) {
      throw ReleaseException.badInput("no workload configured: name it kind/name, e.g. deployment/odoo");
    }
    if (controller == null) {
      throw ReleaseException.badInput("no GitOps controller configured: name an argo application or a flux "
          + "kustomization");
    }
    if (container != null) {
      KubernetesNames.requireDnsName(container, "container name");
    }
    requirePositive(timeout, "timeout");
    requirePositive(pollInterval, "poll interval");
  }

  private static void requirePositive(Duration d, String what) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw ReleaseException.badInput(what + " must be a positive duration (ISO-8601, e.g. PT10M), got " + d);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The target an environment's {@code cluster:} block in {@code odoo-gitops.yaml} describes. */
  public static Builder from(ClusterSpec spec) {
    Builder builder = builder().namespace(spec.namespace()).workload(spec.workload()).container(spec.container());
    if (spec.argo() != null) {
      builder.argoApplication(spec.argo().application(), spec.argo().namespace());
    } else if (spec.flux() != null) {
      builder.fluxKustomization(spec.flux().kustomization(), spec.flux().namespace());
    }
    if (spec.timeout() != null) {
      builder.timeout(spec.timeout());
    }
    if (spec.pollInterval() != null) {
      builder.pollInterval(spec.pollInterval());
    }
    return builder;
  }

  /** Collects the wide configuration; {@link #build()} validates it all at once. */
  public static final class Builder {
    private String namespace;
    private WorkloadRef workload;
    private String container;
    private ControllerRef controller;
    private Duration timeout = DEFAULT_TIMEOUT;
    private Duration pollInterval = DEFAULT_POLL_INTERVAL;

    private Builder() {
    }

    public Builder namespace(String namespace) {
      this.namespace = namespace;
      return this;
    }

    public Builder workload(WorkloadRef workload) {
      this.workload = workload;
      return this;
    }

    /** {@code deployment/odoo} or {@code statefulset/odoo}. */
    public Builder workload(String kindSlashName) {
      return workload(WorkloadRef.parse(kindSlashName));
    }

    public Builder container(String container) {
      this.container = container;
      return this;
    }

    public Builder argoApplication(String name, String namespace) {
      this.controller = ControllerRef.argoApplication(name, namespace);
      return this;
    }

    public Builder fluxKustomization(String name, String namespace) {
      this.controller = ControllerRef.fluxKustomization(name, namespace);
      return this;
    }

    public Builder controller(ControllerRef controller) {
      this.controller = controller;
      return this;
    }

    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    public Builder pollInterval(Duration pollInterval) {
      this.pollInterval = pollInterval;
      return this;
    }

    public ClusterTarget build() {
      return new ClusterTarget(namespace, workload, container, controller, timeout, pollInterval);
    }
  }
}
