package io.odoogitops.cluster;

/**
 * Why a container of one of the workload's pods is not running well: waiting (CrashLoopBackOff, ImagePullBackOff,
 * CreateContainerConfigError...) or terminated with a non-zero exit code.
 *
 * @param state "waiting" or "terminated"
 * @param exitCode the exit code when terminated, else {@code null}
 * @param restarts how often the container restarted
 */
public record PodProblem(String pod, String container, String state, String reason, String message, Integer exitCode,
    int restarts) {

  @Override
  public String toString() {
    return pod + "/" + container + " " + state + " " + reason
        + (exitCode == null ? "" : " exit " + exitCode)
        + (restarts > 0 ? ", " + restarts + " restarts" : "")
        + (message == null || message.isBlank() ? "" : ": " + message);
  }
}
