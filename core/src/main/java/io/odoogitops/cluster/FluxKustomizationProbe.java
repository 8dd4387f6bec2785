package io.odoogitops.cluster;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.odoogitops.cluster.ControllerStatus.Phase;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Flux {@code Kustomization} (kustomize.toolkit.fluxcd.io/v1). Applied means the Ready condition is True and
 * {@code status.lastAppliedRevision} contains the commit. Failed means Flux attempted the commit
 * ({@code status.lastAttemptedRevision}) and either reports Stalled or Ready=False with a reason that retrying the
 * same revision will not fix.
 */
record FluxKustomizationProbe(ControllerRef ref) implements ControllerProbe {

  static final ResourceDefinitionContext KUSTOMIZATIONS = new ResourceDefinitionContext.Builder()
      .withGroup("kustomize.toolkit.fluxcd.io")
      .withVersion("v1")
      .withKind("Kustomization")
      .withPlural("kustomizations")
      .withNamespaced(true)
      .build();

  /** Ready=False reasons of kustomize-controller that mean the revision itself is broken, not merely in progress. */
  private static final Set<String> FAILURE_REASONS =
      Set.of("BuildFailed", "HealthCheckFailed", "ReconciliationFailed", "PruneFailed");

  @Override
  public ResourceDefinitionContext resource() {
    return KUSTOMIZATIONS;
  }

  @Override
  public String installHint() {
    return "is Flux (kustomize-controller, API v1) installed in this cluster? If the environment is deployed by Argo "
        + "CD, configure an argo application instead";
  }

  @Override
  public ControllerStatus interpret(GenericKubernetesResource kustomization, String commit) {
    List<Condition> conditions = Condition.fromUntyped(kustomization.get("status", "conditions"));
    Optional<Condition> ready = find(conditions, "Ready");
    boolean stalled = find(conditions, "Stalled").map(Condition::isTrue).orElse(false);
    String applied = kustomization.get("status", "lastAppliedRevision");
    String attempted = kustomization.get("status", "lastAttemptedRevision");

    Phase phase = Phase.PENDING;
    String detail = null;
    boolean readyTrue = ready.map(Condition::isTrue).orElse(false);
    if (readyTrue && ControllerProbe.names(applied, commit)) {
      phase = Phase.APPLIED;
    } else if (ControllerProbe.names(attempted, commit)
        && (stalled || ready.filter(Condition::isFalse).map(Condition::reason).filter(FAILURE_REASONS::contains)
        .isPresent())) {
      phase = Phase.FAILED;
      detail = "flux could not apply " + commit + ": " + ready.map(Condition::toString).orElse("Stalled");
    }
    String sync = "Ready=" + ready.map(Condition::status).orElse("Unknown");
    String health = ready.map(Condition::reason).orElse("Unknown");
    return new ControllerStatus(ref.toString(), applied, sync, health, phase, detail, conditions);
  }

  private static Optional<Condition> find(List<Condition> conditions, String type) {
    return conditions.stream().filter(c -> type.equals(c.type())).findFirst();
  }
}
