package io.odoogitops.cluster;

import io.odoogitops.ImageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What a verification saw: the outcome, the last status of the controller and the workload, and on failure the
 * events and pod problems that explain it, plus the automatic rollback if one was made. Available as JSON
 * ({@link #toJson()}) for machines and as text ({@link #humanText()}) for people.
 *
 * @param detail one line saying why it failed; {@code null} when verified
 * @param controller the controller status at the last poll; {@code null} if never read
 * @param workload the workload status at the last poll; {@code null} if never read
 * @param diagnosticsError why events or pods could not be read, else {@code null}
 * @param rollback the automatic rollback, else {@code null}
 * @param supersededBy for {@link VerificationOutcome#SUPERSEDED}, the later commit the controller synced and the
 *     digest it deploys; else {@code null}
 */
public record VerificationReport(
    String environment,
    String application,
    String commit,
    ImageDigest digest,
    VerificationOutcome outcome,
    String detail,
    Instant startedAt,
    Duration duration,
    ControllerStatus controller,
    WorkloadStatus workload,
    List<ClusterEvent> events,
    List<PodProblem> podProblems,
    String diagnosticsError,
    RollbackAttempt rollback,
    LaterRevision supersededBy) {

  public VerificationReport {
    events = events == null ? List.of() : List.copyOf(events);
    podProblems = podProblems == null ? List.of() : List.copyOf(podProblems);
  }

  /** A report of any outcome but {@link VerificationOutcome#SUPERSEDED}. */
  public VerificationReport(String environment, String application, String commit, ImageDigest digest,
      VerificationOutcome outcome, String detail, Instant startedAt, Duration duration, ControllerStatus controller,
      WorkloadStatus workload, List<ClusterEvent> events, List<PodProblem> podProblems, String diagnosticsError,
      RollbackAttempt rollback) {
    this(environment, application, commit, digest, outcome, detail, startedAt, duration, controller, workload, events,
        podProblems, diagnosticsError, rollback, null);
  }

  public boolean verified() {
    return outcome == VerificationOutcome.VERIFIED;
  }

  /** Whether a later promotion or a rollback replaced the promotion before it could be verified: not a failure. */
  public boolean superseded() {
    return outcome == VerificationOutcome.SUPERSEDED;
  }

  VerificationReport withRollback(RollbackAttempt attempt) {
    return new VerificationReport(environment, application, commit, digest, outcome, detail, startedAt, duration,
        controller, workload, events, podProblems, diagnosticsError, attempt, supersededBy);
  }

  public String toJson() {
    return ReportJson.write(this);
  }

  public String humanText() {
    StringBuilder text = new StringBuilder();
    text.append(verified() ? "VERIFIED " : superseded() ? "SUPERSEDED " : "FAILED (" + outcome + ") ")
        .append(application).append(" in ").append(environment)
        .append(": commit ").append(commit).append(", digest ").append(digest)
        .append(", after ").append(duration.toSeconds()).append(" s\n");
    if (detail != null) {
      text.append("  why: ").append(detail).append('\n');
    }
    if (controller != null) {
      text.append("  controller: ").append(controller.summary()).append('\n');
      if (!verified()) {
        controller.conditions().forEach(c -> text.append("    ").append(c).append('\n'));
      }
    }
    if (workload != null) {
      text.append("  workload: ").append(workload.summary()).append('\n');
      if (!verified()) {
        text.append("    images: ").append(String.join(", ", workload.images())).append('\n');
        workload.conditions().forEach(c -> text.append("    ").append(c).append('\n'));
      }
    }
    if (!podProblems.isEmpty()) {
      text.append("  failing pods:\n");
      podProblems.forEach(p -> text.append("    ").append(p).append('\n'));
    }
    if (!events.isEmpty()) {
      text.append("  recent events:\n");
      events.forEach(e -> text.append("    ").append(e).append('\n'));
    }
    if (diagnosticsError != null) {
      text.append("  (events and pods could not be read: ").append(diagnosticsError).append(")\n");
    }
    if (rollback != null) {
      text.append(rollback.landed()
          ? "  rolled back automatically (" + rollback.reason() + "): commit " + rollback.commit() + "\n"
          : "  automatic rollback FAILED: " + rollback.error() + "\n");
    }
    return text.toString().stripTrailing();
  }
}
