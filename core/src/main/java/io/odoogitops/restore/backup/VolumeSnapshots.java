package io.odoogitops.restore.backup;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.odoogitops.config.RestoreSpec;
import io.odoogitops.restore.RestorePoint;
import java.time.Instant;
import java.util.Map;

/** The filestore's PVC as a CSI {@code snapshot.storage.k8s.io/v1 VolumeSnapshot}, awaited until readyToUse. */
final class VolumeSnapshots {

  static final String GROUP = "snapshot.storage.k8s.io";
  static final ResourceDefinitionContext SNAPSHOTS = new ResourceDefinitionContext.Builder().withGroup(GROUP)
      .withVersion("v1").withKind("VolumeSnapshot").withPlural("volumesnapshots").withNamespaced(true).build();

  private final ObjectWait wait;

  VolumeSnapshots(ObjectWait wait) {
    this.wait = wait;
  }

  RestorePoint.FilestorePart take(String namespace, RestoreSpec.VolumeSnapshot spec, String name,
      Map<String, String> labels, Map<String, String> annotations, Instant requestedAt) {
    wait.access().requireResourceType(GROUP, "v1", "volumesnapshots", "the CSI snapshot CRDs and controller are not"
        + " installed; install them, or configure restore.filestore.copy instead of volumeSnapshot");
    GenericKubernetesResource snapshot = new GenericKubernetesResourceBuilder()
        .withApiVersion(GROUP + "/v1").withKind("VolumeSnapshot")
        .withNewMetadata().withName(name).withNamespace(namespace).withLabels(labels).withAnnotations(annotations)
        .endMetadata().build();
    snapshot.setAdditionalProperty("spec", Map.of(
        "volumeSnapshotClassName", spec.snapshotClass(),
        "source", Map.of("persistentVolumeClaimName", spec.pvc())));
    String what = "VolumeSnapshot " + name + " of the filestore PVC " + spec.pvc() + " in namespace " + namespace;
    wait.create(SNAPSHOTS, namespace, snapshot, what);
    GenericKubernetesResource ready = wait.await(SNAPSHOTS, namespace, name, what, spec.timeout(),
        VolumeSnapshots::look);
    Instant created = ObjectWait.instant(ObjectWait.status(ready), "creationTime");
    return new RestorePoint.FilestorePart(RestorePoint.FilestorePart.VOLUME_SNAPSHOT, name, namespace, spec.pvc(),
        spec.snapshotClass(), created != null ? created : requestedAt, 0, 0);
  }

  @SuppressWarnings("unchecked")
  private static ObjectWait.State look(GenericKubernetesResource snapshot) {
    Map<String, Object> status = ObjectWait.status(snapshot);
    if (status.get("error") instanceof Map<?, ?> error && error.get("message") != null) {
      return new ObjectWait.Failed(String.valueOf(((Map<String, Object>) error).get("message")));
    }
    if (Boolean.TRUE.equals(status.get("readyToUse"))) {
      return new ObjectWait.Done(snapshot);
    }
    return new ObjectWait.Pending(status.isEmpty() ? "requested, not picked up by the snapshot controller yet"
        : "not ready to use yet");
  }
}
