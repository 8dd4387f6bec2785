package io.odoogitops.dryrun.clone;

import io.odoogitops.ReleaseException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A throw-away copy of the source, owned by one dry-run. Closing it drops it; if the JVM is asked to stop first
 * (Ctrl-C, SIGTERM, Jenkins aborting the build) a shutdown hook drops it instead. Only SIGKILL or a power cut can
 * leave it behind, and then the next run's sweep removes it by its {@link CloneName}.
 */
public final class StagingClone implements AutoCloseable {

  /** How the clone is removed; strategies differ (DROP DATABASE, stopping an embedded server). */
  @FunctionalInterface
  public interface Disposal {
    void dispose() throws Exception;
  }

  private final CloneName name;
  private final String strategy;
  private final PgEndpoint endpoint;
  private final Duration cloneTime;
  private final Disposal disposal;
  private final AtomicBoolean disposed = new AtomicBoolean();
  private final Thread shutdownHook;

  public StagingClone(CloneName name, String strategy, PgEndpoint endpoint, Duration cloneTime, Disposal disposal) {
    this.name = name;
    this.strategy = strategy;
    this.endpoint = endpoint;
    this.cloneTime = cloneTime;
    this.disposal = disposal;
    this.shutdownHook = new Thread(this::disposeQuietly, "drop-clone-" + name);
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  public CloneName name() {
    return name;
  }

  public String strategy() {
    return strategy;
  }

  /** Full rights on the clone: neutralization and migrations write here. */
  public PgEndpoint endpoint() {
    return endpoint;
  }

  /** Wall time the strategy needed to make the clone usable. */
  public Duration cloneTime() {
    return cloneTime;
  }

  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running or about to; it disposes exactly once thanks to the flag
    }
    if (disposed.compareAndSet(false, true)) {
      try {
        disposal.dispose();
      } catch (Exception e) {
        throw ReleaseException.infrastructure("could not drop staging clone " + name
            + " (" + e.getMessage() + "); the next dry-run's sweep removes it once it is older than the TTL", e);
      }
    }
  }

  private void disposeQuietly() {
    if (disposed.compareAndSet(false, true)) {
      try {
        disposal.dispose();
      } catch (Exception e) {
        System.err.println("warning: could not drop staging clone " + name + " on shutdown; the next dry-run sweeps it");
      }
    }
  }
}
