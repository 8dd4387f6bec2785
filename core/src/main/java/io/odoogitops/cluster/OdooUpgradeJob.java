package io.odoogitops.cluster;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.odoogitops.ReleaseException;
import io.odoogitops.dryrun.upgrade.UpgradeRunName;
import io.odoogitops.dryrun.upgrade.UpgradeOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Runs Odoo's own module upgrade ({@code odoo -u ... --stop-after-init --workers=0 -d <clone>}) as a Kubernetes Job
 * from the built image, against a staging clone, and judges it: non-zero exit, a failed Job, an ERROR or CRITICAL
 * log line, or the timeout fail the run.
 *
 * <p>The Job and the Secret holding the database credentials are always deleted: at the end of the run, on a
 * timeout, on an exception, when the thread is interrupted, and from a shutdown hook when the JVM is stopped
 * (Ctrl-C, SIGTERM from Jenkins). Should the process die harder than that, the cluster cleans up after us: the
 * Secret is owned by the Job, the Job has {@code activeDeadlineSeconds} and {@code ttlSecondsAfterFinished}.
 */
public final class OdooUpgradeJob {

  static final String CONTAINER = "odoo";
  static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  static final String RUN_LABEL = "odoo-gitops.io/upgrade-run";
  /** Set by the Job controller on the pods it creates. */
  static final String JOB_NAME_LABEL = "job-name";
  /** Garbage collection of a Job left behind by a process killed with SIGKILL. */
  static final int TTL_AFTER_FINISHED_SECONDS = 3600;
  /** How long to wait, after the Job finished, for the last log lines to arrive. */
  private static final long LOG_DRAIN_MILLIS = 5_000;

  private static final Set<String> CANNOT_START = Set.of("ImagePullBackOff", "InvalidImageName",
      "CreateContainerConfigError", "CreateContainerError");

  private final ClusterAccess access;
  private final ProgressListener listener;
  private final String qualifier;

  /** @param client an open client; the caller closes it */
  public OdooUpgradeJob(KubernetesClient client, ProgressListener listener) {
    this(client, listener, null);
  }

  /** @param qualifier in the Job's name, e.g. the tenant of a fleet dry-run ({@link UpgradeRunName#next(String)}) */
  public OdooUpgradeJob(KubernetesClient client, ProgressListener listener, String qualifier) {
    this.access = new ClusterAccess(Objects.requireNonNull(client, "client"));
    this.listener = listener == null ? ProgressListener.SILENT : listener;
    this.qualifier = qualifier;
  }

  /**
   * Runs the upgrade and waits for it.
   *
   * @return the result; failures of the upgrade itself are results, not exceptions
   * @throws ReleaseException BAD_INPUT when the cluster refuses the Job (credentials, RBAC, namespace),
   *     INFRASTRUCTURE when the API server is unreachable or the run was interrupted; the Job and Secret are
   *     deleted in every case
   */
  public UpgradeJobResult run(UpgradeJobSpec spec) {
    String name = UpgradeRunName.next(qualifier);
    Instant startedAt = Instant.now();
    long startNanos = System.nanoTime();
    Cleanup cleanup = new Cleanup(spec.namespace(), name);
    Thread hook = new Thread(cleanup::run, "odoo-upgrade-cleanup-" + name);
    Runtime.getRuntime().addShutdownHook(hook);
    PodLogFollower follower = null;
    try {
      listener.progress("starting " + name + " in namespace " + spec.namespace() + ": odoo "
          + String.join(" ", spec.odooArguments()) + " (image " + spec.image() + ", timeout " + spec.timeout() + ")");
      Job job = create(spec, name);
      ownSecretByJob(spec.namespace(), name, job);

      long deadline = startNanos + spec.timeout().toNanos();
      Finish finish = null;
      Pod pod = null;
      int consecutiveErrors = 0;
      while (finish == null) {
        try {
          job = access.repeatable("read job " + name, () -> access.client().batch().v1().jobs()
              .inNamespace(spec.namespace()).withName(name).get());
          if (job == null) {
            throw ReleaseException.infrastructure("upgrade job " + name + " disappeared from namespace "
                + spec.namespace() + " while it ran; was it deleted by someone else?", null);
          }
          pod = newestPod(spec.namespace(), name).orElse(pod);
          if (follower == null && pod != null && started(pod)) {
            listener.progress("streaming the log of " + pod.getMetadata().getName());
            follower = new PodLogFollower(access, spec.namespace(), pod.getMetadata().getName(), CONTAINER,
                listener);
          }
          finish = finished(job);
          if (finish == null) {
            finish = cannotStart(pod);
          }
          consecutiveErrors = 0;
        } catch (ReleaseException e) {
          // An upgrade runs for many minutes; one dropped connection to the API server must not fail the dry-run.
          if (!ClusterAccess.transientFailure(e) || job == null
              || ++consecutiveErrors > ClusterAccess.TOLERATED_CONSECUTIVE_ERRORS) {
            throw e;
          }
          listener.progress("API error, retrying (" + consecutiveErrors + "/"
              + ClusterAccess.TOLERATED_CONSECUTIVE_ERRORS + "): " + e.getMessage());
        }
        if (finish == null) {
          long remaining = deadline - System.nanoTime();
          if (remaining <= 0) {
            finish = new Finish(UpgradeOutcome.TIMED_OUT, "the upgrade did not finish within " + spec.timeout());
          } else {
            Thread.sleep(Duration.ofNanos(Math.min(remaining, spec.pollInterval().toNanos())).toMillis());
          }
        }
      }
      if (follower != null && finish.outcome() != UpgradeOutcome.TIMED_OUT) {
        follower.drain(LOG_DRAIN_MILLIS);
      }
      if (pod != null) {
        // Re-read: the container's terminated state is written after the Job controller saw the pod finish.
        pod = newestPod(spec.namespace(), name).orElse(pod);
      }
      return result(spec, name, pod, follower, finish, startedAt, startNanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ReleaseException(ReleaseException.Kind.INFRASTRUCTURE, "upgrade job " + name
          + " interrupted; the job and its secret were deleted");
    } finally {
      if (follower != null) {
        follower.close();
      }
      cleanup.run();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // The JVM is already stopping and runs the hook itself; cleanup is idempotent.
      }
    }
  }

  private Job create(UpgradeJobSpec spec, String name) {
    Map<String, String> labels = Map.of(MANAGED_BY, "odoo-gitops", RUN_LABEL, name);
    DatabaseCredentials db = spec.credentials();
    Secret secret = new SecretBuilder()
        .withNewMetadata().withName(name).withNamespace(spec.namespace()).withLabels(labels).endMetadata()
        .withType("Opaque")
        // libpq's environment variables: Odoo passes only the options it was given, libpq fills in the rest.
        .withStringData(Map.of("PGHOST", db.host(), "PGPORT", String.valueOf(db.port()), "PGUSER", db.user(),
            "PGPASSWORD", db.password()))
        .build();
    access.run("create secret " + name + " in namespace " + spec.namespace(),
        () -> access.client().secrets().inNamespace(spec.namespace()).resource(secret).create());

    Job job = new JobBuilder()
        .withNewMetadata().withName(name).withNamespace(spec.namespace()).withLabels(labels).endMetadata()
        .withNewSpec()
        // One attempt: a retried upgrade would run against a half-upgraded database and hide the first failure.
        .withBackoffLimit(0)
        .withActiveDeadlineSeconds(spec.timeout().toSeconds())
        .withTtlSecondsAfterFinished(TTL_AFTER_FINISHED_SECONDS)
        .withNewTemplate()
        .withNewMetadata().withLabels(labels).endMetadata()
        .withNewSpec()
        .withRestartPolicy("Never")
        .withServiceAccountName(spec.serviceAccount())
        .withAutomountServiceAccountToken(false)
        .addNewContainer()
        .withName(CONTAINER)
        .withImage(spec.image())
        .withCommand("odoo")
        .withArgs(spec.odooArguments())
        .addNewEnvFrom().withNewSecretRef().withName(name).endSecretRef().endEnvFrom()
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
    return access.call("create job " + name + " in namespace " + spec.namespace(),
        () -> access.client().batch().v1().jobs().inNamespace(spec.namespace()).resource(job).create());
  }

  /** Lets the garbage collector delete the Secret with the Job, should this process die before its own cleanup. */
  private void ownSecretByJob(String namespace, String name, Job job) {
    if (job.getMetadata().getUid() == null) {
      return;
    }
    try {
      access.run("set the owner of secret " + name, () -> access.client().secrets().inNamespace(namespace)
          .withName(name).edit(s -> new SecretBuilder(s).editMetadata().withOwnerReferences(
              new OwnerReferenceBuilder().withApiVersion("batch/v1").withKind("Job").withName(name)
                  .withUid(job.getMetadata().getUid()).withBlockOwnerDeletion(false).build())
              .endMetadata().build()));
    } catch (ReleaseException e) {
      // A safety net only (our own cleanup deletes the Secret): missing RBAC for it must not fail the dry-run.
      listener.progress("secret " + name + " is not owned by its job, so a killed run may leave it behind: "
          + e.getMessage());
    }
  }

  private Optional<Pod> newestPod(String namespace, String job) {
    List<Pod> pods = access.repeatable("list the pods of job " + job,
        () -> access.client().pods().inNamespace(namespace).withLabel(JOB_NAME_LABEL, job).list().getItems());
    return pods.stream().max(Comparator.comparing(p -> String.valueOf(p.getMetadata().getCreationTimestamp())));
  }

  /** The log can be read once the container started; before that the API server answers 400. */
  private static boolean started(Pod pod) {
    return odooContainer(pod).map(s -> s.getState() != null
        && (s.getState().getRunning() != null || s.getState().getTerminated() != null)).orElse(false);
  }

  private static Optional<ContainerStatus> odooContainer(Pod pod) {
    if (pod == null || pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
      return Optional.empty();
    }
    return pod.getStatus().getContainerStatuses().stream().filter(s -> CONTAINER.equals(s.getName())).findFirst();
  }

  /**
   * A pod whose container cannot start would otherwise sit there until the deadline: the kubelet keeps retrying an
   * image pull or a broken container config forever. These reasons are already past the kubelet's first retries.
   */
  private static Finish cannotStart(Pod pod) {
    return odooContainer(pod)
        .filter(s -> s.getState() != null && s.getState().getWaiting() != null)
        .map(s -> s.getState().getWaiting())
        .filter(w -> CANNOT_START.contains(w.getReason()))
        .map(w -> new Finish(UpgradeOutcome.FAILED, "the odoo container cannot start: " + w.getReason()
            + (w.getMessage() == null ? "" : " (" + w.getMessage() + ")")))
        .orElse(null);
  }

  private static Finish finished(Job job) {
    if (job.getStatus() == null) {
      return null;
    }
    List<JobCondition> conditions = job.getStatus().getConditions() == null ? List.of()
        : job.getStatus().getConditions();
    Optional<JobCondition> failed = conditions.stream()
        .filter(c -> "Failed".equals(c.getType()) && "True".equals(c.getStatus())).findFirst();
    if (failed.map(JobCondition::getReason).filter("DeadlineExceeded"::equals).isPresent()) {
      // activeDeadlineSeconds is our own timeout, enforced by the cluster a little before our clock ran out.
      return new Finish(UpgradeOutcome.TIMED_OUT, "the job reached its deadline (" + job.getSpec()
          .getActiveDeadlineSeconds() + " s)");
    }
    if (failed.isPresent() || count(job.getStatus().getFailed()) > 0) {
      return new Finish(UpgradeOutcome.FAILED, "job failed" + failed
          .map(c -> ": " + c.getReason() + (c.getMessage() == null ? "" : " (" + c.getMessage() + ")")).orElse(""));
    }
    boolean complete = conditions.stream().anyMatch(c -> "Complete".equals(c.getType())
        && "True".equals(c.getStatus()));
    if (complete || count(job.getStatus().getSucceeded()) > 0) {
      return new Finish(UpgradeOutcome.SUCCEEDED, null);
    }
    return null;
  }

  private UpgradeJobResult result(UpgradeJobSpec spec, String name, Pod pod, PodLogFollower follower, Finish finish,
      Instant startedAt, long startNanos) {
    Integer exitCode = odooContainer(pod).map(ContainerStatus::getState).map(s -> s.getTerminated())
        .map(ContainerStateTerminated::getExitCode).orElse(null);
    List<String> errors = follower == null ? List.of() : follower.errorLines();
    UpgradeOutcome.Ending ending = UpgradeOutcome.judge(finish.outcome(), finish.detail(), exitCode, errors);
    UpgradeOutcome outcome = ending.outcome();
    String detail = ending.detail();
    UpgradeJobResult result = new UpgradeJobResult(outcome, name, pod == null ? null : pod.getMetadata().getName(),
        spec.image(), spec.modules(), spec.database(), exitCode, errors,
        follower == null ? 0 : follower.lineCount(), startedAt, Duration.ofNanos(System.nanoTime() - startNanos),
        detail, follower == null ? null : follower.odooLog());
    listener.progress(name + ": " + outcome + (detail == null ? "" : " (" + detail + ")"));
    return result;
  }

  private static int count(Integer value) {
    return value == null ? 0 : value;
  }

  private record Finish(UpgradeOutcome outcome, String detail) {
  }

  /**
   * Deletes the Job (with its pods, in the background) and the Secret. Idempotent, and safe to run from the
   * interrupted thread: the interrupt flag is cleared for the duration, or every API call would fail at once.
   */
  private final class Cleanup implements Runnable {
    private final String namespace;
    private final String name;
    private boolean done;

    Cleanup(String namespace, String name) {
      this.namespace = namespace;
      this.name = name;
    }

    @Override
    public synchronized void run() {
      if (done) {
        return;
      }
      boolean interrupted = Thread.interrupted();
      try {
        delete("job", () -> access.client().batch().v1().jobs().inNamespace(namespace).withName(name)
            .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete());
        delete("secret", () -> access.client().secrets().inNamespace(namespace).withName(name).delete());
        done = true;
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    }

    private void delete(String what, Runnable call) {
      try {
        access.repeatable("delete " + what + " " + name + " in namespace " + namespace, () -> {
          call.run();
          return null;
        });
      } catch (ReleaseException e) {
        // Keep going: the secret must go even if the job could not, and the run's own error matters more.
        listener.progress("cleanup: " + e.getMessage() + "; delete it by hand (kubectl -n " + namespace
            + " delete " + what + " " + name + ")");
      }
    }
  }
}
