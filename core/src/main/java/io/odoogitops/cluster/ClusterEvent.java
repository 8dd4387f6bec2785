package io.odoogitops.cluster;

/**
 * A Kubernetes event about the workload, its ReplicaSets or its pods, as shown in a failure report.
 *
 * @param type Normal or Warning
 * @param object kind/name of the object the event is about
 * @param lastSeen when the event was last recorded, as the API server wrote it
 */
public record ClusterEvent(String type, String reason, String object, String message, int count, String lastSeen) {

  @Override
  public String toString() {
    return type + " " + reason + " " + object + (count > 1 ? " (x" + count + ")" : "") + ": " + message;
  }
}
