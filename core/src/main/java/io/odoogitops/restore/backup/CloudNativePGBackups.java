package io.odoogitops.restore.backup;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.odoogitops.ReleaseException;
import io.odoogitops.config.ClusterSpec;
import io.odoogitops.restore.RestorePoint;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * On-demand backups of a CloudNativePG cluster: a {@code postgresql.cnpg.io/v1 Backup} created through the API
 * server and awaited until the operator reports it {@code completed} or {@code failed}.
 */
final class CloudNativePGBackups {

  static final String GROUP = "postgresql.cnpg.io";
  static final ResourceDefinitionContext BACKUPS = new ResourceDefinitionContext.Builder().withGroup(GROUP)
      .withVersion("v1").withKind("Backup").withPlural("backups").withNamespaced(true).build();
  static final ResourceDefinitionContext CLUSTERS = new ResourceDefinitionContext.Builder().withGroup(GROUP)
      .withVersion("v1").withKind("Cluster").withPlural("clusters").withNamespaced(true).build();
  static final String INSTALL_HINT = "CloudNativePG is not installed in this cluster (or the API server is not the"
      + " one the environment runs on); install the operator, or take restore points as a logical dump"
      + " (restore.dump) instead of cluster.cloudNativePG";

  private final ObjectWait wait;

  CloudNativePGBackups(ObjectWait wait) {
    this.wait = wait;
  }

  /**
   * Requests a backup named {@code name} of the configured cluster and waits for it.
   *
   * @param requestedAt when the request was made: the point's time if the operator reports no start or stop time
   */
  RestorePoint.CloudNativePGBackup take(String namespace, ClusterSpec.CloudNativePG spec, String name,
      Map<String, String> labels, Map<String, String> annotations, Instant requestedAt) {
    wait.access().requireResourceType(GROUP, "v1", "backups", INSTALL_HINT);
    String clusterWhat = "CloudNativePG Cluster " + spec.cluster() + " in namespace " + namespace;
    if (wait.get(CLUSTERS, namespace, spec.cluster(), clusterWhat).isEmpty()) {
      throw ReleaseException.badInput("there is no " + clusterWhat + " (API server " + wait.access().server()
          + "); check cluster.cloudNativePG in odoo-gitops.yaml");
    }
    Map<String, Object> backupSpec = new LinkedHashMap<>();
    backupSpec.put("cluster", Map.of("name", spec.cluster()));
    if (spec.method() != null) {
      backupSpec.put("method", spec.method());
    }
    if (spec.plugin() != null) {
      backupSpec.put("pluginConfiguration", Map.of("name", spec.plugin()));
    }
    GenericKubernetesResource backup = new GenericKubernetesResourceBuilder()
        .withApiVersion(GROUP + "/v1").withKind("Backup")
        .withNewMetadata().withName(name).withNamespace(namespace).withLabels(labels).withAnnotations(annotations)
        .endMetadata().build();
    backup.setAdditionalProperty("spec", backupSpec);
    String what = "CloudNativePG Backup " + name + " of " + spec.cluster() + " in namespace " + namespace;
    wait.create(BACKUPS, namespace, backup, what);
    GenericKubernetesResource done = wait.await(BACKUPS, namespace, name, what, spec.timeout(),
        CloudNativePGBackups::look);
    Map<String, Object> status = ObjectWait.status(done);
    Instant started = ObjectWait.instant(status, "startedAt");
    Instant stopped = ObjectWait.instant(status, "stoppedAt");
    String method = ObjectWait.text(status, "method") != null ? ObjectWait.text(status, "method") : spec.method();
    return new RestorePoint.CloudNativePGBackup(namespace, spec.cluster(), name, method,
        ObjectWait.text(status, "backupId"), ObjectWait.text(status, "beginLSN"), ObjectWait.text(status, "endLSN"),
        started != null ? started : requestedAt, stopped, spec.plugin());
  }

  /** Phases as the operator writes them: pending, started, running, finalizing, then completed or failed. */
  private static ObjectWait.State look(GenericKubernetesResource backup) {
    Map<String, Object> status = ObjectWait.status(backup);
    String phase = ObjectWait.text(status, "phase");
    if (phase == null || phase.isBlank()) {
      return new ObjectWait.Pending("requested, not picked up by the operator yet");
    }
    switch (phase.toLowerCase(Locale.ROOT)) {
      case "completed":
        return new ObjectWait.Done(backup);
      case "failed":
        return new ObjectWait.Failed(reason(status, "the operator reported phase failed without a reason"));
      case "walarchivingfailing":
        // the operator holds the backup in this phase: a base backup without its WAL cannot be restored
        return new ObjectWait.Failed(reason(status, "WAL archiving is failing")
            + " (phase walArchivingFailing: fix the cluster's WAL archive first)");
      default:
        return new ObjectWait.Pending(phase);
    }
  }

  private static String reason(Map<String, Object> status, String fallback) {
    String error = ObjectWait.text(status, "error");
    String text = error == null || error.isBlank() ? fallback : error.strip();
    // the operator's text is shown as one line, cut: it is for a person, and may come from a command's output
    text = text.replaceAll("\\s+", " ");
    return text.length() > 300 ? text.substring(0, 300) + "…" : text;
  }
}
