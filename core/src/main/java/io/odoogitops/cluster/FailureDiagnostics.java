package io.odoogitops.cluster;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Gathers what a person needs to see when a verification fails: recent events about the workload and the objects it
 * owns, and the reasons its pods' containers are waiting or died. Best effort: a failure to read them must not hide
 * the verification failure itself, so API errors here become a note in the report.
 */
final class FailureDiagnostics {

  /** Enough events to see a pattern without drowning the report. */
  static final int MAX_EVENTS = 20;
  /** Waiting reasons that are part of a normal start and say nothing about a failure. */
  private static final Set<String> BENIGN_WAITING = Set.of("ContainerCreating", "PodInitializing");

  private final ClusterAccess access;
  private final String namespace;

  FailureDiagnostics(ClusterAccess access, String namespace) {
    this.access = access;
    this.namespace = namespace;
  }

  /**
   * Events whose object is the workload itself or is named after it: ReplicaSets ({@code odoo-5d8f...}) and pods
   * ({@code odoo-5d8f...-x2x9z}, {@code odoo-0}) carry the workload's name as a prefix.
   */
  List<ClusterEvent> events(String workloadName) {
    List<Event> all = access.repeatable("list events in namespace " + namespace,
        () -> access.client().v1().events().inNamespace(namespace).list().getItems());
    return all.stream()
        .filter(e -> e.getInvolvedObject() != null && about(e.getInvolvedObject(), workloadName))
        .sorted(Comparator.comparing(FailureDiagnostics::lastSeen).reversed())
        .limit(MAX_EVENTS)
        .map(FailureDiagnostics::event)
        .toList();
  }

  List<PodProblem> podProblems(Map<String, String> selector) {
    if (selector.isEmpty()) {
      return List.of();
    }
    List<Pod> pods = access.repeatable("list pods in namespace " + namespace,
        () -> access.client().pods().inNamespace(namespace).withLabels(selector).list().getItems());
    List<PodProblem> problems = new ArrayList<>();
    for (Pod pod : pods) {
      if (pod.getStatus() == null) {
        continue;
      }
      List<ContainerStatus> statuses = new ArrayList<>();
      if (pod.getStatus().getInitContainerStatuses() != null) {
        statuses.addAll(pod.getStatus().getInitContainerStatuses());
      }
      if (pod.getStatus().getContainerStatuses() != null) {
        statuses.addAll(pod.getStatus().getContainerStatuses());
      }
      for (ContainerStatus status : statuses) {
        problem(pod.getMetadata().getName(), status).ifPresent(problems::add);
      }
    }
    return List.copyOf(problems);
  }

  private static Optional<PodProblem> problem(String pod, ContainerStatus status) {
    int restarts = status.getRestartCount() == null ? 0 : status.getRestartCount();
    if (status.getState() == null) {
      return Optional.empty();
    }
    ContainerStateWaiting waiting = status.getState().getWaiting();
    if (waiting != null && waiting.getReason() != null && !BENIGN_WAITING.contains(waiting.getReason())) {
      return Optional.of(new PodProblem(pod, status.getName(), "waiting", waiting.getReason(),
          waiting.getMessage(), lastExitCode(status), restarts));
    }
    ContainerStateTerminated terminated = status.getState().getTerminated();
    if (terminated != null && terminated.getExitCode() != null && terminated.getExitCode() != 0) {
      return Optional.of(new PodProblem(pod, status.getName(), "terminated", terminated.getReason(),
          terminated.getMessage(), terminated.getExitCode(), restarts));
    }
    return Optional.empty();
  }

  /** In CrashLoopBackOff the container waits; the exit code that matters is the one of its last termination. */
  private static Integer lastExitCode(ContainerStatus status) {
    if (status.getLastState() != null && status.getLastState().getTerminated() != null) {
      return status.getLastState().getTerminated().getExitCode();
    }
    return null;
  }

  private static boolean about(ObjectReference object, String workloadName) {
    String name = object.getName();
    return name != null && (name.equals(workloadName) || name.startsWith(workloadName + "-"));
  }

  private static String lastSeen(Event e) {
    String t = e.getLastTimestamp() != null ? e.getLastTimestamp() : e.getEventTime() != null
        ? e.getEventTime().getTime() : e.getFirstTimestamp();
    return t == null ? "" : t;
  }

  private static ClusterEvent event(Event e) {
    ObjectReference o = e.getInvolvedObject();
    return new ClusterEvent(e.getType(), e.getReason(), o.getKind() + "/" + o.getName(), e.getMessage(),
        e.getCount() == null ? 1 : e.getCount(), lastSeen(e));
  }
}
