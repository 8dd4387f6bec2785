package io.odoogitops.cluster;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.odoogitops.ReleaseException;
import io.odoogitops.cluster.ControllerStatus.Phase;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Follows a promotion commit into the cluster: polls the GitOps controller object and the workload until the commit
 * is applied and every replica runs the digest, or until something fails or the timeout passes.
 *
 * <p>Polling rather than watching: a verification lasts minutes and looks at two objects, so a request every few
 * seconds costs nothing, survives API server restarts without resync logic, and is easy to follow in tests.
 *
 * <p>API errors that mean "fix your configuration" (401, 403, missing CRD, missing object) fail at once with
 * BAD_INPUT. Network errors and 5xx during the wait are retried on the next poll, up to
 * {@link ClusterAccess#TOLERATED_CONSECUTIVE_ERRORS} in a row, since a verification should survive an API server blip.
 *
 * <p>On a busy branch the controller may sync a later head than the promotion commit. With {@link LaterRevisions}
 * wired, a synced commit that descends from the promotion commit and still deploys the digest is judged in its place,
 * and one that deploys another digest ends the verification as {@link VerificationOutcome#SUPERSEDED}; any other
 * revision (older, another branch) is waited out as before.
 */
public final class ClusterVerifier {

  private final ClusterAccess access;
  private final ProgressListener listener;
  private final RollbackTrigger rollback;
  private final LaterRevisions later;

  /**
   * A verifier that accepts only the promotion commit itself as the synced revision.
   *
   * @param client an open client; the caller closes it
   * @param rollback what to call when a verification with {@code autoRollback} fails; {@code null} if none is wired
   */
  public ClusterVerifier(KubernetesClient client, ProgressListener listener, RollbackTrigger rollback) {
    this(client, listener, rollback, LaterRevisions.NONE);
  }

  /**
   * @param later what later commits of the branch deploy ({@link LaterRevisions#of} on the GitOps repository);
   *     {@link LaterRevisions#NONE} without one
   */
  public ClusterVerifier(KubernetesClient client, ProgressListener listener, RollbackTrigger rollback,
      LaterRevisions later) {
    this.access = new ClusterAccess(Objects.requireNonNull(client, "client"));
    this.listener = listener == null ? ProgressListener.SILENT : listener;
    this.rollback = rollback;
    this.later = Objects.requireNonNull(later, "later");
  }

  /**
   * Waits for {@code request.commit()} and {@code request.digest()} to be live at {@code target}.
   *
   * @return the report; {@link VerificationReport#verified()} tells success. Failures of the release itself
   *     (Degraded, stuck, timeout) are reports, not exceptions.
   * @throws ReleaseException BAD_INPUT for configuration the cluster contradicts (credentials, RBAC, missing CRD or
   *     objects), INFRASTRUCTURE when the API server cannot be reached, or when interrupted
   */
  public VerificationReport verify(ClusterTarget target, VerificationRequest request) {
    if (request.autoRollback() && rollback == null) {
      throw ReleaseException.badInput("automatic rollback was asked for but no rollback is wired to this "
          + "verification");
    }
    Instant startedAt = Instant.now();
    long startNanos = System.nanoTime();
    long deadline = startNanos + target.timeout().toNanos();
    ControllerProbe controller = ControllerProbe.of(target.controller());
    WorkloadProbe workload = new WorkloadProbe(access, target.namespace(), target.workload(), target.container());

    listener.progress("verifying " + request.application() + " in " + request.environment() + ": commit "
        + request.commit() + ", digest " + request.digest() + " (" + target.controller() + ", " + target.workload()
        + " in namespace " + target.namespace() + ", timeout " + target.timeout() + ")");
    access.requireResourceType(controller.resource().getGroup(), controller.resource().getVersion(),
        controller.resource().getPlural(), controller.installHint());

    Poll last = null;
    String lastLine = null;
    int consecutiveErrors = 0;
    Map<String, Optional<LaterRevision>> known = new HashMap<>();
    while (true) {
      try {
        GenericKubernetesResource object = readController(controller);
        ControllerStatus status = controller.interpret(object, request.commit());
        LaterRevision descendant = status.phase() == Phase.PENDING ? laterRevision(request, status, known) : null;
        if (descendant != null && descendant.deploys(request.digest())) {
          // Judged at the commit the controller synced, which still deploys the promoted digest.
          status = controller.interpret(object, descendant.commit());
        }
        last = new Poll(status, workload.observe(request.digest()),
            descendant == null || descendant.deploys(request.digest()) ? null : descendant,
            descendant != null && descendant.deploys(request.digest()) ? descendant.commit() : null, request);
        consecutiveErrors = 0;
      } catch (ReleaseException e) {
        if (!ClusterAccess.transientFailure(e)
            || ++consecutiveErrors > ClusterAccess.TOLERATED_CONSECUTIVE_ERRORS) {
          throw e;
        }
        listener.progress("API error, retrying (" + consecutiveErrors + "/"
            + ClusterAccess.TOLERATED_CONSECUTIVE_ERRORS + "): " + e.getMessage());
      }
      if (last != null) {
        String line = last.controller().summary() + "; " + last.workload().summary();
        if (!line.equals(lastLine)) {
          listener.progress(line);
          lastLine = line;
        }
        VerificationOutcome outcome = last.outcome();
        if (outcome != null) {
          return finish(request, target, workload, startedAt, startNanos, last, outcome, last.detail());
        }
      }
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        String detail = "not applied and rolled out within " + target.timeout()
            + (last == null ? "" : "; last seen: " + last.controller().summary() + "; " + last.workload().summary()
            + last.judgedAtNote());
        return finish(request, target, workload, startedAt, startNanos, last, VerificationOutcome.TIMED_OUT, detail);
      }
      pause(Math.min(remaining, target.pollInterval().toNanos()));
    }
  }

  /**
   * The synced revision as a later commit of the branch, if it is one; asked once per revision (the answer of a commit
   * never changes), again at the next poll when the repository could not be read.
   */
  private LaterRevision laterRevision(VerificationRequest request, ControllerStatus status,
      Map<String, Optional<LaterRevision>> known) {
    String commit = ControllerProbe.commitOf(status.revision());
    if (commit == null || ControllerProbe.names(commit, request.commit())) {
      return null;
    }
    Optional<LaterRevision> answer = known.get(commit);
    if (answer == null) {
      try {
        answer = later.read(request, commit);
      } catch (ReleaseException e) {
        listener.progress("cannot tell what commit " + commit.substring(0, 12) + " deploys, asking again at the next"
            + " poll: " + e.getMessage());
        return null;
      }
      known.put(commit, answer);
      answer.ifPresent(a -> listener.progress("the controller synced " + commit.substring(0, 12) + ", a later commit"
          + " of the branch than " + request.commit() + (a.deploys(request.digest())
          ? ", which still deploys " + io.odoogitops.ImageDigest.shortForm(request.digest()) + ": judging it there"
          : ", which deploys " + io.odoogitops.ImageDigest.shortForm(a.digest()))));
    }
    return answer.orElse(null);
  }

  private GenericKubernetesResource readController(ControllerProbe probe) {
    ControllerRef ref = probe.ref();
    GenericKubernetesResource object = access.repeatable("read " + ref, () -> access.client()
        .genericKubernetesResources(probe.resource()).inNamespace(ref.namespace()).withName(ref.name()).get());
    if (object == null) {
      throw ReleaseException.badInput(ref + " does not exist (API server " + access.server()
          + "); check the controller name and namespace configured for this environment");
    }
    return object;
  }

  private VerificationReport finish(VerificationRequest request, ClusterTarget target, WorkloadProbe workload,
      Instant startedAt, long startNanos, Poll last, VerificationOutcome outcome, String detail) {
    Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
    List<ClusterEvent> events = List.of();
    List<PodProblem> pods = List.of();
    String diagnosticsError = null;
    if (outcome != VerificationOutcome.VERIFIED && outcome != VerificationOutcome.SUPERSEDED) {
      FailureDiagnostics diagnostics = new FailureDiagnostics(access, target.namespace());
      try {
        events = diagnostics.events(target.workload().name());
        Map<String, String> selector = workload.podSelector();
        pods = diagnostics.podProblems(selector);
      } catch (ReleaseException e) {
        diagnosticsError = e.getMessage();
      }
    }
    VerificationReport report = new VerificationReport(request.environment(), request.application(),
        request.commit(), request.digest(), outcome, detail, startedAt, took,
        last == null ? null : last.controller(), last == null ? null : last.workload(), events, pods,
        diagnosticsError, null, last == null ? null : last.superseding());
    listener.progress(report.verified() ? "verified in " + took.toSeconds() + " s"
        : report.superseded() ? "superseded: " + detail : "verification failed: " + detail);
    // A superseded promotion is someone else's now: rolling it back would undo their change, not ours.
    if (!report.verified() && !report.superseded() && request.autoRollback()) {
      report = report.withRollback(rollBack(request));
    }
    return report;
  }

  private RollbackAttempt rollBack(VerificationRequest request) {
    listener.progress("rolling " + request.application() + " in " + request.environment() + " back ("
        + RollbackTrigger.VERIFICATION_FAILED + ")");
    try {
      String commit = rollback.rollback(request.environment(), request.application(),
          RollbackTrigger.VERIFICATION_FAILED);
      listener.progress("rollback committed: " + commit);
      return new RollbackAttempt(RollbackTrigger.VERIFICATION_FAILED, commit, null);
    } catch (ReleaseException e) {
      // The report must still reach the user: the failed rollback is part of what they need to act on.
      listener.progress("rollback failed: " + e.getMessage());
      return new RollbackAttempt(RollbackTrigger.VERIFICATION_FAILED, null, e.getMessage());
    }
  }

  private static void pause(long nanos) {
    try {
      Thread.sleep(Duration.ofNanos(nanos).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ReleaseException(ReleaseException.Kind.INFRASTRUCTURE, "verification interrupted");
    }
  }

  /**
   * One observation of both objects, and what it means for the verification.
   *
   * @param superseding the later commit the controller synced when it deploys another digest, else null
   * @param judgedAt the later commit the controller synced when it still deploys our digest and the status was read
   *     there, else null
   */
  private record Poll(ControllerStatus controller, WorkloadStatus workload, LaterRevision superseding,
      String judgedAt, VerificationRequest request) {

    /**
     * For a failure judged at a later commit: another change landed there may be the cause, not this promotion.
     */
    String judgedAtNote() {
      return judgedAt == null ? "" : " (judged at later commit " + judgedAt.substring(0, Math.min(12,
          judgedAt.length())) + ", which still deploys " + io.odoogitops.ImageDigest.shortForm(request.digest())
          + ": another change landed there may be the cause)";
    }

    /** The final outcome this observation decides, or {@code null} to keep waiting. */
    VerificationOutcome outcome() {
      if (superseding != null) {
        return VerificationOutcome.SUPERSEDED;
      }
      if (controller.phase() == Phase.FAILED) {
        return VerificationOutcome.CONTROLLER_FAILED;
      }
      // A stuck rollout of an older template says nothing about ours; only judge it once the digest is in.
      if (workload.phase() == WorkloadStatus.Phase.STUCK && workload.runsDigest()) {
        return VerificationOutcome.ROLLOUT_STUCK;
      }
      if (controller.phase() == Phase.APPLIED && workload.observedGeneration() >= workload.generation()
          && !workload.runsDigest()) {
        return VerificationOutcome.DIGEST_MISMATCH;
      }
      if (controller.phase() == Phase.APPLIED && workload.phase() == WorkloadStatus.Phase.ROLLED_OUT) {
        return VerificationOutcome.VERIFIED;
      }
      return null;
    }

    String detail() {
      return switch (outcome()) {
        case SUPERSEDED -> superseding.supersededDetail(request);
        case CONTROLLER_FAILED -> controller.detail() + judgedAtNote();
        case ROLLOUT_STUCK -> workload.detail() + judgedAtNote();
        case DIGEST_MISMATCH -> controller.controller() + " applied the commit but " + workload.workload()
            + " runs " + String.join(", ", workload.images()) + "; does the promotion commit change this workload?"
            + judgedAtNote();
        default -> null;
      };
    }
  }
}
