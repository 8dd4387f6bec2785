package io.odoogitops.cluster;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import io.odoogitops.odoo.log.OdooLogReader;
import io.odoogitops.odoo.log.OdooUpgradeLog;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Streams one container's log while it runs: every line goes to the listener as it arrives and to an
 * {@link OdooLogReader}, which keeps the ERROR/CRITICAL lines, the modules loaded and the migration scripts run for
 * the result. Reads on its own daemon thread so the caller can keep polling the Job's status and enforce the timeout;
 * the reader is only touched under this object's lock.
 */
final class PodLogFollower implements AutoCloseable {

  private final String pod;
  private final ProgressListener listener;
  private final OdooLogReader odooLog = new OdooLogReader();
  private final AtomicInteger lines = new AtomicInteger();
  private final LogWatch watch;
  private final Thread reader;

  PodLogFollower(ClusterAccess access, String namespace, String pod, String container, ProgressListener listener) {
    this.pod = pod;
    this.listener = listener;
    this.watch = access.call("follow the log of pod " + pod + " in namespace " + namespace,
        () -> access.client().pods().inNamespace(namespace).withName(pod).inContainer(container).watchLog());
    this.reader = new Thread(this::read, "odoo-upgrade-log-" + pod);
    reader.setDaemon(true);
    reader.start();
  }

  private void read() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(watch.getOutput(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        lines.incrementAndGet();
        listener.podLog(pod, line);
        accept(line);
      }
    } catch (IOException | KubernetesClientException e) {
      // The stream ends this way when the watch is closed after the Job finished or on timeout; what was read stays.
      listener.progress("log stream of " + pod + " ended: " + e.getClass().getSimpleName());
    }
  }

  private synchronized void accept(String line) {
    odooLog.accept(Instant.now(), line);
  }

  /** Waits up to {@code millis} for the log to be read to its end: the last lines arrive after the pod exited. */
  void drain(long millis) throws InterruptedException {
    reader.join(TimeUnit.MILLISECONDS.toMillis(millis));
  }

  synchronized List<String> errorLines() {
    return odooLog.summary().errorLines();
  }

  /** What Odoo's log said so far: modules loaded, scripts run, errors. */
  synchronized OdooUpgradeLog odooLog() {
    return odooLog.summary();
  }

  int lineCount() {
    return lines.get();
  }

  String pod() {
    return pod;
  }

  @Override
  public void close() {
    watch.close();
  }
}
