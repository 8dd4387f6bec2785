package io.odoogitops.cluster;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.odoogitops.cluster.ControllerStatus.Phase;
import java.util.List;

/**
 * Argo CD {@code Application} (argoproj.io/v1alpha1). Applied means {@code status.sync.revision} is the commit,
 * {@code status.sync.status} is Synced and {@code status.health.status} is Healthy. Failed means the commit is the
 * synced revision and health is Degraded, or the sync operation for the commit ended in Failed or Error.
 */
record ArgoApplicationProbe(ControllerRef ref) implements ControllerProbe {

  static final ResourceDefinitionContext APPLICATIONS = new ResourceDefinitionContext.Builder()
      .withGroup("argoproj.io")
      .withVersion("v1alpha1")
      .withKind("Application")
      .withPlural("applications")
      .withNamespaced(true)
      .build();

  @Override
  public ResourceDefinitionContext resource() {
    return APPLICATIONS;
  }

  @Override
  public String installHint() {
    return "is Argo CD installed in this cluster? If the environment is deployed by Flux, configure a flux "
        + "kustomization instead";
  }

  @Override
  public ControllerStatus interpret(GenericKubernetesResource app, String commit) {
    String revision = syncedRevision(app, commit);
    String sync = orUnknown(app.get("status", "sync", "status"));
    String health = orUnknown(app.get("status", "health", "status"));
    List<Condition> conditions = Condition.fromUntyped(app.get("status", "conditions"));
    boolean ours = ControllerProbe.names(revision, commit);

    String operationPhase = app.get("status", "operationState", "phase");
    String operationRevision = app.get("status", "operationState", "syncResult", "revision");
    if (operationRevision == null) {
      operationRevision = app.get("status", "operationState", "operation", "sync", "revision");
    }
    Phase phase = Phase.PENDING;
    String detail = null;
    if (("Failed".equals(operationPhase) || "Error".equals(operationPhase))
        && ControllerProbe.names(operationRevision, commit)) {
      phase = Phase.FAILED;
      detail = "sync of " + commit + " ended in " + operationPhase + ": "
          + orUnknown(app.get("status", "operationState", "message"));
    } else if (ours && "Degraded".equals(health)) {
      phase = Phase.FAILED;
      String message = app.get("status", "health", "message");
      detail = "application is Degraded at " + commit + (message == null ? "" : ": " + message);
    } else if (ours && "Synced".equals(sync) && "Healthy".equals(health)) {
      phase = Phase.APPLIED;
    }
    return new ControllerStatus(ref.toString(), revision, sync, health, phase, detail, conditions);
  }

  /**
   * Single-source applications report {@code status.sync.revision}; multi-source ones a {@code revisions} list, of
   * which the one naming our commit (or else the first) is the revision that matters.
   */
  private static String syncedRevision(GenericKubernetesResource app, String commit) {
    String revision = app.get("status", "sync", "revision");
    if (revision != null) {
      return revision;
    }
    Object revisions = app.get("status", "sync", "revisions");
    if (revisions instanceof List<?> list && !list.isEmpty()) {
      return list.stream().map(String::valueOf).filter(r -> ControllerProbe.names(r, commit)).findFirst()
          .orElse(String.valueOf(list.get(0)));
    }
    return null;
  }

  private static String orUnknown(Object value) {
    return value == null ? "Unknown" : value.toString();
  }
}
