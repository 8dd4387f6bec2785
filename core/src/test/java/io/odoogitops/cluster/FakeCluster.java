package io.odoogitops.cluster;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.odoogitops.ImageDigest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Plays the cluster's controllers against the fabric8 mock server in CRUD mode: creates the Argo CD Application, the
 * Flux Kustomization and the Deployment, and moves their status the way Argo CD, Flux and the Deployment controller
 * would, so the verifier under test sees the same sequence of states as on a real cluster.
 */
final class FakeCluster {

  static final String NAMESPACE = "shop";
  static final ImageDigest OLD_DIGEST = new ImageDigest("sha256:" + "a".repeat(64));
  static final ImageDigest NEW_DIGEST = new ImageDigest("sha256:" + "b".repeat(64));
  static final String OLD_COMMIT = "1111111111111111111111111111111111111111";
  static final String NEW_COMMIT = "2222222222222222222222222222222222222222";
  static final String IMAGE = "registry.example.com/shop/odoo";

  private final KubernetesMockServer server;
  private final KubernetesClient client;

  FakeCluster(KubernetesMockServer server, KubernetesClient client) {
    this.server = server;
    this.client = client;
  }

  /** Makes the API server serve the Argo CD and Flux resource types, as installing their CRDs would. */
  FakeCluster withControllerCrds() {
    server.expectCustomResource(crd(ArgoApplicationProbe.APPLICATIONS.getGroup(), "v1alpha1", "Application",
        "applications"));
    server.expectCustomResource(crd(FluxKustomizationProbe.KUSTOMIZATIONS.getGroup(), "v1", "Kustomization",
        "kustomizations"));
    return this;
  }

  private static CustomResourceDefinitionContext crd(String group, String version, String kind, String plural) {
    return new CustomResourceDefinitionContext.Builder().withGroup(group).withVersion(version).withKind(kind)
        .withPlural(plural).withScope("Namespaced").withStatusSubresource(false).build();
  }

  // --- Deployment -------------------------------------------------------------------------------------------------

  /** A Deployment fully rolled out on the old digest. */
  void deployment(String name, int replicas) {
    Deployment d = new DeploymentBuilder()
        .withNewMetadata().withName(name).withNamespace(NAMESPACE).endMetadata()
        .withNewSpec().withReplicas(replicas)
        .withNewSelector().addToMatchLabels("app", name).endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata()
        .withNewSpec().addNewContainer().withName("odoo").withImage(IMAGE + "@" + OLD_DIGEST).endContainer()
        .endSpec().endTemplate().endSpec()
        .build();
    Deployment created = client.apps().deployments().resource(d).create();
    rollDeployment(name, created.getMetadata().getGeneration(), replicas, replicas, replicas, null);
  }

  /** What the GitOps controller does: writes the new image into the template (the API server bumps generation). */
  void setImage(String name, ImageDigest digest) {
    client.apps().deployments().inNamespace(NAMESPACE).withName(name).edit(d -> new DeploymentBuilder(d)
        .editSpec().editTemplate().editSpec().editFirstContainer().withImage(IMAGE + "@" + digest).endContainer()
        .endSpec().endTemplate().endSpec().build());
  }

  /** What the Deployment controller reports after acting on the current generation. */
  void rollDeployment(String name, int replicas, int updated, int available) {
    long generation = client.apps().deployments().inNamespace(NAMESPACE).withName(name).get().getMetadata()
        .getGeneration();
    rollDeployment(name, generation, replicas, updated, available, null);
  }

  void deploymentDeadlineExceeded(String name) {
    long generation = client.apps().deployments().inNamespace(NAMESPACE).withName(name).get().getMetadata()
        .getGeneration();
    rollDeployment(name, generation, 3, 1, 2, "ProgressDeadlineExceeded");
  }

  private void rollDeployment(String name, long generation, int replicas, int updated, int available,
      String deadlineReason) {
    client.apps().deployments().inNamespace(NAMESPACE).withName(name).edit(d -> {
      var status = new DeploymentBuilder(d).editOrNewStatus()
          .withObservedGeneration(generation)
          .withReplicas(replicas).withUpdatedReplicas(updated).withAvailableReplicas(available)
          .withReadyReplicas(available);
      if (deadlineReason != null) {
        status.withConditions(new DeploymentConditionBuilder().withType("Progressing").withStatus("False")
            .withReason(deadlineReason).withMessage("ReplicaSet \"" + name + "-7c9\" has timed out progressing.")
            .build());
      }
      return status.endStatus().build();
    });
  }

  /** A pod of the new ReplicaSet in CrashLoopBackOff, and the events a kubelet would record about it. */
  void crashingPod(String deployment) {
    String pod = deployment + "-7c9d-x2x9z";
    client.pods().inNamespace(NAMESPACE).resource(new PodBuilder()
        .withNewMetadata().withName(pod).withNamespace(NAMESPACE).addToLabels("app", deployment).endMetadata()
        .withNewSpec().addNewContainer().withName("odoo").withImage(IMAGE + "@" + NEW_DIGEST).endContainer().endSpec()
        .withNewStatus().withPhase("Running").withContainerStatuses(new ContainerStatusBuilder()
            .withName("odoo").withRestartCount(4)
            .withNewState().withNewWaiting().withReason("CrashLoopBackOff")
            .withMessage("back-off 1m20s restarting failed container").endWaiting().endState()
            .withNewLastState().withNewTerminated().withExitCode(1).withReason("Error").endTerminated().endLastState()
            .build())
        .endStatus().build()).create();
    client.v1().events().inNamespace(NAMESPACE).resource(new EventBuilder()
        .withNewMetadata().withName(pod + ".1").withNamespace(NAMESPACE).endMetadata()
        .withType("Warning").withReason("BackOff").withMessage("Back-off restarting failed container odoo")
        .withCount(4).withLastTimestamp("2026-11-23T10:00:00Z")
        .withNewInvolvedObject().withKind("Pod").withName(pod).withNamespace(NAMESPACE).endInvolvedObject()
        .build()).create();
    client.v1().events().inNamespace(NAMESPACE).resource(new EventBuilder()
        .withNewMetadata().withName("unrelated.1").withNamespace(NAMESPACE).endMetadata()
        .withType("Normal").withReason("Scheduled").withMessage("other workload")
        .withNewInvolvedObject().withKind("Pod").withName("redis-0").withNamespace(NAMESPACE).endInvolvedObject()
        .build()).create();
  }

  // --- Argo CD ----------------------------------------------------------------------------------------------------

  void argoApplication(String name, String revision, String sync, String health) {
    GenericKubernetesResource app = new GenericKubernetesResourceBuilder()
        .withApiVersion("argoproj.io/v1alpha1").withKind("Application")
        .withNewMetadata().withName(name).withNamespace("argocd").endMetadata()
        .build();
    app.setAdditionalProperty("spec", Map.of("project", "default"));
    app.setAdditionalProperty("status", argoStatus(revision, sync, health, null));
    client.genericKubernetesResources(ArgoApplicationProbe.APPLICATIONS).inNamespace("argocd").resource(app).create();
  }

  void argoStatus(String name, String revision, String sync, String health, String healthMessage) {
    client.genericKubernetesResources(ArgoApplicationProbe.APPLICATIONS).inNamespace("argocd").withName(name)
        .edit(app -> {
          app.setAdditionalProperty("status", argoStatus(revision, sync, health, healthMessage));
          return app;
        });
  }

  private static Map<String, Object> argoStatus(String revision, String sync, String health, String message) {
    Map<String, Object> healthStatus = new HashMap<>(Map.of("status", health));
    if (message != null) {
      healthStatus.put("message", message);
    }
    return Map.of(
        "sync", Map.of("status", sync, "revision", revision),
        "health", healthStatus,
        "conditions", List.of(Map.of("type", "SyncError", "message", "placeholder condition from a past sync")));
  }

  // --- Flux -------------------------------------------------------------------------------------------------------

  void fluxKustomization(String name, String applied) {
    GenericKubernetesResource k = new GenericKubernetesResourceBuilder()
        .withApiVersion("kustomize.toolkit.fluxcd.io/v1").withKind("Kustomization")
        .withNewMetadata().withName(name).withNamespace("flux-system").endMetadata()
        .build();
    k.setAdditionalProperty("spec", Map.of("path", "./envs/production", "prune", true));
    k.setAdditionalProperty("status", fluxStatus(applied, applied, "True", "ReconciliationSucceeded", "Applied"));
    client.genericKubernetesResources(FluxKustomizationProbe.KUSTOMIZATIONS).inNamespace("flux-system").resource(k)
        .create();
  }

  void fluxStatus(String name, String applied, String attempted, String ready, String reason, String message) {
    client.genericKubernetesResources(FluxKustomizationProbe.KUSTOMIZATIONS).inNamespace("flux-system")
        .withName(name).edit(k -> {
          k.setAdditionalProperty("status", fluxStatus(applied, attempted, ready, reason, message));
          return k;
        });
  }

  private static Map<String, Object> fluxStatus(String applied, String attempted, String ready, String reason,
      String message) {
    return Map.of(
        "lastAppliedRevision", "main@sha1:" + applied,
        "lastAttemptedRevision", "main@sha1:" + attempted,
        "conditions", List.of(Map.of("type", "Ready", "status", ready, "reason", reason, "message", message)));
  }
}
