package io.odoogitops.cluster;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetCondition;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.odoogitops.ImageDigest;
import io.odoogitops.ImageRef;
import io.odoogitops.ReleaseException;
import io.odoogitops.cluster.WorkloadStatus.Phase;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads a Deployment or StatefulSet and judges its rollout the way {@code kubectl rollout status} does: the
 * controller observed the latest generation, every desired replica runs the new template and is available, and no
 * old replica is left.
 */
final class WorkloadProbe {

  /** The Deployment condition reason Kubernetes sets when {@code progressDeadlineSeconds} passed without progress. */
  static final String PROGRESS_DEADLINE_EXCEEDED = "ProgressDeadlineExceeded";

  private final ClusterAccess access;
  private final String namespace;
  private final WorkloadRef ref;
  private final String container;

  WorkloadProbe(ClusterAccess access, String namespace, WorkloadRef ref, String container) {
    this.access = access;
    this.namespace = namespace;
    this.ref = ref;
    this.container = container;
  }

  WorkloadStatus observe(ImageDigest digest) {
    String action = "read " + ref + " in namespace " + namespace;
    return switch (ref.kind()) {
      case DEPLOYMENT -> {
        Deployment d = access.repeatable(action,
            () -> access.client().apps().deployments().inNamespace(namespace).withName(ref.name()).get());
        yield interpret(require(d), digest);
      }
      case STATEFULSET -> {
        StatefulSet s = access.repeatable(action,
            () -> access.client().apps().statefulSets().inNamespace(namespace).withName(ref.name()).get());
        yield interpret(require(s), digest);
      }
    };
  }

  /** The labels that select the workload's pods, for diagnostics. */
  Map<String, String> podSelector() {
    LabelSelector selector = switch (ref.kind()) {
      case DEPLOYMENT -> Optional.ofNullable(access.repeatable("read " + ref,
          () -> access.client().apps().deployments().inNamespace(namespace).withName(ref.name()).get()))
          .map(d -> d.getSpec().getSelector()).orElse(null);
      case STATEFULSET -> Optional.ofNullable(access.repeatable("read " + ref,
          () -> access.client().apps().statefulSets().inNamespace(namespace).withName(ref.name()).get()))
          .map(s -> s.getSpec().getSelector()).orElse(null);
    };
    return selector == null || selector.getMatchLabels() == null ? Map.of() : selector.getMatchLabels();
  }

  private <T> T require(T workload) {
    if (workload == null) {
      throw ReleaseException.badInput(ref + " does not exist in namespace " + namespace + " (API server "
          + access.server() + "); check the workload configured for this environment");
    }
    return workload;
  }

  WorkloadStatus interpret(Deployment d, ImageDigest digest) {
    DeploymentStatus status = d.getStatus() == null ? new DeploymentStatus() : d.getStatus();
    List<Condition> conditions = status.getConditions() == null ? List.of() : status.getConditions().stream()
        .map(WorkloadProbe::condition).toList();
    Rollout rollout = new Rollout(generation(d.getMetadata().getGeneration()), value(status.getObservedGeneration()),
        d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas(), count(status.getReplicas()),
        count(status.getUpdatedReplicas()), count(status.getAvailableReplicas()));
    Optional<Condition> deadline = conditions.stream()
        .filter(c -> "Progressing".equals(c.type()) && c.isFalse() && PROGRESS_DEADLINE_EXCEEDED.equals(c.reason()))
        .findFirst();
    return judge(d.getSpec().getTemplate(), digest, rollout, true, deadline, conditions);
  }

  WorkloadStatus interpret(StatefulSet s, ImageDigest digest) {
    StatefulSetStatus status = s.getStatus() == null ? new StatefulSetStatus() : s.getStatus();
    List<Condition> conditions = status.getConditions() == null ? List.of() : status.getConditions().stream()
        .map(WorkloadProbe::condition).toList();
    // Older API servers do not report availableReplicas for StatefulSets; readyReplicas is the closest measure.
    int available = status.getAvailableReplicas() != null ? status.getAvailableReplicas()
        : count(status.getReadyReplicas());
    Rollout rollout = new Rollout(generation(s.getMetadata().getGeneration()), value(status.getObservedGeneration()),
        s.getSpec().getReplicas() == null ? 1 : s.getSpec().getReplicas(), count(status.getReplicas()),
        count(status.getUpdatedReplicas()), available);
    // A rolling update is finished only when the current revision caught up with the update revision.
    boolean revisionsAgree = status.getUpdateRevision() == null
        || Objects.equals(status.getCurrentRevision(), status.getUpdateRevision());
    return judge(s.getSpec().getTemplate(), digest, rollout, revisionsAgree, Optional.empty(), conditions);
  }

  private WorkloadStatus judge(PodTemplateSpec template, ImageDigest digest, Rollout rollout, boolean revisionsAgree,
      Optional<Condition> deadlineExceeded, List<Condition> conditions) {
    List<String> images = images(template);
    // Read with the one grammar: a reference that merely ends in the digest's text is not pinned to it.
    boolean runsDigest = images.stream().map(ImageRef::split).flatMap(Optional::stream)
        .anyMatch(image -> digest.value().equals(image.digest()));
    boolean current = rollout.observedGeneration() >= rollout.generation();
    Phase phase = Phase.ROLLING;
    String detail = null;
    if (current && deadlineExceeded.isPresent()) {
      phase = Phase.STUCK;
      detail = ref + " rollout is stuck: " + deadlineExceeded.get();
    } else if (runsDigest && current && revisionsAgree && rollout.complete()) {
      phase = Phase.ROLLED_OUT;
    }
    return new WorkloadStatus(ref.toString(), images, rollout.generation(), rollout.observedGeneration(),
        rollout.desired(), rollout.replicas(), rollout.updated(), rollout.available(), runsDigest, phase, detail,
        conditions);
  }

  private List<String> images(PodTemplateSpec template) {
    if (template == null || template.getSpec() == null || template.getSpec().getContainers() == null) {
      return List.of();
    }
    return template.getSpec().getContainers().stream()
        .filter(c -> container == null || container.equals(c.getName()))
        .map(Container::getImage)
        .filter(Objects::nonNull)
        .toList();
  }

  /** The counters of a rollout; complete as {@code kubectl rollout status} defines it. */
  private record Rollout(long generation, long observedGeneration, int desired, int replicas, int updated,
      int available) {
    boolean complete() {
      return updated == desired && replicas == desired && available == desired;
    }
  }

  private static Condition condition(DeploymentCondition c) {
    return new Condition(c.getType(), c.getStatus(), c.getReason(), c.getMessage());
  }

  private static Condition condition(StatefulSetCondition c) {
    return new Condition(c.getType(), c.getStatus(), c.getReason(), c.getMessage());
  }

  private static long generation(Long value) {
    return value == null ? 0 : value;
  }

  private static long value(Long value) {
    return value == null ? -1 : value;
  }

  private static int count(Integer value) {
    return value == null ? 0 : value;
  }
}
