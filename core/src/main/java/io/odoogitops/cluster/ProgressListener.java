package io.odoogitops.cluster;

/**
 * Where the cluster package reports what it sees while it waits. Front ends decide where it goes (stderr, a Jenkins
 * build log); the core never prints. Implementations must be thread-safe: pod log lines arrive on a reader thread.
 */
@FunctionalInterface
public interface ProgressListener {

  /** Discards everything; for callers that only want the final result. */
  ProgressListener SILENT = message -> { };

  /** A one-line, human-readable progress message, e.g. "argo application odoo-prod: Synced/Progressing at 1a2b3c4". */
  void progress(String message);

  /** One line of a pod's log, as streamed. Defaults to a progress message prefixed with the pod name. */
  default void podLog(String pod, String line) {
    progress(pod + " | " + line);
  }
}
