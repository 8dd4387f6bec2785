package io.odoogitops.jenkins.gate;

import hudson.AbortException;
import hudson.security.ACL;
import hudson.util.DaemonThreadFactory;
import hudson.util.NamingThreadFactory;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import jenkins.security.ImpersonatingExecutorService;
import jenkins.util.SystemProperties;

/**
 * Where gates fetch what they decide on (the policy file, the upstream history) from the GitOps repository. Git talks
 * to a server that may hang, so this never runs on Jenkins' shared {@link jenkins.util.Timer} pool, whose few
 * threads every plugin's periodic work needs: it has its own small pool and queue, and every opening has a time limit
 * after which the step fails and the worker is interrupted.
 */
final class GateOpenings {

  /** Generous for a fetch over a slow link; JGit gives up on a silent connection after 60 s of its own. */
  static final Duration LIMIT = Duration.ofSeconds(
      SystemProperties.getLong(GateOpenings.class.getName() + ".timeoutSeconds", 300L));
  private static final int THREADS = 2;
  private static final int QUEUED = 64;

  private static final ExecutorService POOL = pool();

  private GateOpenings() {}

  private static ExecutorService pool() {
    ThreadPoolExecutor pool = new ThreadPoolExecutor(THREADS, THREADS, 60, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(QUEUED),
        new NamingThreadFactory(new DaemonThreadFactory(), "odooGate opening"));
    pool.allowCoreThreadTimeOut(true);
    // As on the Timer: the work is the plugin's, done with the credentials the step resolved, not the voter's.
    return new ImpersonatingExecutorService(pool, ACL.SYSTEM2);
  }

  /**
   * Runs {@code work} off the caller's thread and hands its value or failure to {@code done}, exactly once: a
   * failure of its own, an {@link AbortException} when the pool is full, or one when {@code limit} passes first (the
   * worker is then interrupted).
   */
  static <T> void open(Callable<T> work, Duration limit, BiConsumer<T, Throwable> done) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Future<?> task;
    try {
      task = POOL.submit(() -> {
        try {
          result.complete(work.call());
        } catch (Throwable e) {
          result.completeExceptionally(e);
        }
      });
    } catch (RejectedExecutionException e) {
      done.accept(null, new AbortException("infrastructure: " + QUEUED + " release gates are already waiting to"
          + " open on this controller; run the build again in a few minutes"));
      return;
    }
    result.orTimeout(limit.toMillis(), TimeUnit.MILLISECONDS).whenComplete((value, failure) -> {
      if (failure instanceof TimeoutException) {
        task.cancel(true);
        done.accept(null, new AbortException("infrastructure: the release gate did not open within "
            + limit.toSeconds() + " s: reading odoo-gitops.yaml and the upstream history from the GitOps repository"
            + " did not finish; check that the repository answers from this controller or agent (network, SSH host"
            + " key, credentials), then run the build again"));
      } else {
        done.accept(value, failure);
      }
    });
  }
}
