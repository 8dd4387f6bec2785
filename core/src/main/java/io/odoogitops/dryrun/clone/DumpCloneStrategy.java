package io.odoogitops.dryrun.clone;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * {@code pg_dump} from the source (read-only sessions), parallel {@code pg_restore} into a new database on a staging
 * server. Works against any source the client tools can reach; slower than a template clone but needs nothing
 * prepared on the staging side.
 */
public final class DumpCloneStrategy implements CloneStrategy {

  private final StagingServer staging;
  private final DumpRestore dumpRestore;

  public DumpCloneStrategy(StagingServer staging, DumpRestore dumpRestore) {
    this.staging = staging;
    this.dumpRestore = dumpRestore;
  }

  @Override
  public String name() {
    return "dump";
  }

  @Override
  public StagingClone create(PgEndpoint source, CloneName name) {
    String clone = name.toString();
    long started = System.nanoTime();
    // checked before anything is created, so a version mismatch leaves nothing behind
    dumpRestore.toolsFor(source);
    DumpRestore.requireRestorable(dumpRestore.sourceMajor(source), staging.serverMajor(),
        "the staging server " + staging.admin().host() + ":" + staging.admin().port());
    staging.createEmptyDatabase(clone);
    try {
      dumpRestore.copy(source, staging.admin().withDatabase(clone), clone);
    } catch (RuntimeException e) {
      staging.dropDatabase(clone);
      throw e;
    }
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    return new StagingClone(name, name(), staging.admin().withDatabase(clone), took,
        () -> staging.dropDatabase(clone));
  }

  @Override
  public List<String> sweep(String prefix, Duration ttl, Clock clock) {
    return staging.sweep(prefix, ttl, clock);
  }
}
