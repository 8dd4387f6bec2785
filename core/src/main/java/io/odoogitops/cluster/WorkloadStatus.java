package io.odoogitops.cluster;

import java.util.List;

/**
 * What the workload looked like at one poll: the images of its pod template and how far its rollout got.
 *
 * @param workload e.g. "deployment/odoo"
 * @param images the images of the pod template's containers (the selected container only, if one is configured)
 * @param generation {@code metadata.generation}: bumped by the API server on every spec change
 * @param observedGeneration the generation the workload controller has acted on
 * @param desiredReplicas {@code spec.replicas}
 * @param replicas {@code status.replicas}, old and new pods together
 * @param updatedReplicas pods running the current template
 * @param availableReplicas pods available to serve
 * @param runsDigest whether the template names the expected digest
 * @param phase how far the rollout got
 * @param detail why, in one line, when stuck; otherwise {@code null}
 * @param conditions the workload's conditions as seen
 */
public record WorkloadStatus(
    String workload,
    List<String> images,
    long generation,
    long observedGeneration,
    int desiredReplicas,
    int replicas,
    int updatedReplicas,
    int availableReplicas,
    boolean runsDigest,
    Phase phase,
    String detail,
    List<Condition> conditions) {

  /** How far the rollout of the digest got. */
  public enum Phase {
    /** The template does not name the digest yet, or pods are still being replaced; keep waiting. */
    ROLLING,
    /** Every replica runs the template with the digest and is available. */
    ROLLED_OUT,
    /** The workload controller gave up: Deployment condition Progressing=False, ProgressDeadlineExceeded. */
    STUCK
  }

  public WorkloadStatus {
    images = images == null ? List.of() : List.copyOf(images);
    conditions = conditions == null ? List.of() : List.copyOf(conditions);
  }

  /** One line for progress output. */
  public String summary() {
    return workload + ": " + updatedReplicas + "/" + desiredReplicas + " updated, " + availableReplicas + "/"
        + desiredReplicas + " available, generation " + observedGeneration + "/" + generation
        + (runsDigest ? ", digest in template" : ", digest not in template yet");
  }
}
