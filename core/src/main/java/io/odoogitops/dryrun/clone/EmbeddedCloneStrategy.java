package io.odoogitops.dryrun.clone;

import io.odoogitops.ReleaseException;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A private PostgreSQL server started for this run (zonky embedded binaries, PostgreSQL 15), restored from the source
 * with {@link DumpRestore}. Needs no staging server at all, which makes it the default for demos and tests. The data
 * directory carries the clone name, so a run killed with SIGKILL leaves a directory (and maybe a postmaster) that the
 * next run's sweep recognizes, stops and deletes.
 */
public final class EmbeddedCloneStrategy implements CloneStrategy {

  private static final String SUPERUSER = "postgres";
  /** The major of the binaries pinned in the build (io.zonky.test.postgres 15.x). */
  static final int EMBEDDED_MAJOR = 15;

  private final Path workDir;
  private final DumpRestore dumpRestore;

  public EmbeddedCloneStrategy(Path workDir, DumpRestore dumpRestore) {
    this.workDir = workDir;
    this.dumpRestore = dumpRestore;
  }

  @Override
  public String name() {
    return "embedded";
  }

  /** The embedded server lives on this machine's loopback, for this process only: no pod can connect to it. */
  @Override
  public boolean reachableFromOtherHosts() {
    return false;
  }

  @Override
  public StagingClone create(PgEndpoint source, CloneName name) {
    String clone = name.toString();
    long started = System.nanoTime();
    dumpRestore.toolsFor(source);
    DumpRestore.requireRestorable(dumpRestore.sourceMajor(source), EMBEDDED_MAJOR, "the embedded server");
    Path dataDir = workDir.resolve(clone);
    EmbeddedPostgres server;
    try {
      Files.createDirectories(workDir);
      server = EmbeddedPostgres.builder()
          .setDataDirectory(dataDir)
          .setCleanDataDirectory(true)
          // a clone is thrown away after the run: durability only costs restore time
          .setServerConfig("fsync", "off")
          .setServerConfig("synchronous_commit", "off")
          .setServerConfig("full_page_writes", "off")
          .start();
    } catch (IOException e) {
      DumpRestore.deleteTree(dataDir);
      throw ReleaseException.infrastructure("cannot start the embedded PostgreSQL for clone " + clone + " in "
          + dataDir + ": " + e.getMessage(), e);
    }
    PgEndpoint admin = new PgEndpoint("localhost", server.getPort(), "postgres", SUPERUSER, null);
    StagingServer staging = new StagingServer(admin, Duration.ofMinutes(1));
    try {
      staging.createEmptyDatabase(clone);
      dumpRestore.copy(source, admin.withDatabase(clone), clone);
    } catch (RuntimeException e) {
      stop(server, dataDir);
      throw e;
    }
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    return new StagingClone(name, name(), admin.withDatabase(clone), took, () -> stop(server, dataDir));
  }

  private static void stop(EmbeddedPostgres server, Path dataDir) {
    try {
      server.close();
    } catch (IOException e) {
      throw ReleaseException.infrastructure("cannot stop the embedded PostgreSQL in " + dataDir, e);
    } finally {
      DumpRestore.deleteTree(dataDir);
    }
  }

  /**
   * Data directories of this prefix older than {@code ttl}: the postmaster named in {@code postmaster.pid}, if still
   * alive, is killed (it is ours, started by a run that can no longer stop it), then the directory is deleted.
   */
  @Override
  public List<String> sweep(String prefix, Duration ttl, Clock clock) {
    List<String> swept = new ArrayList<>();
    if (!Files.isDirectory(workDir)) {
      return swept;
    }
    Instant cutoff = clock.instant().minus(ttl);
    List<Path> candidates;
    try (Stream<Path> dirs = Files.list(workDir)) {
      candidates = dirs.filter(Files::isDirectory).toList();
    } catch (IOException e) {
      throw ReleaseException.infrastructure("cannot list the embedded clone directory " + workDir, e);
    }
    for (Path dir : candidates) {
      String dirName = dir.getFileName().toString();
      Optional<CloneName> clone = CloneName.parse(prefix, dirName);
      if (clone.isPresent() && !clone.get().createdAt().isAfter(cutoff)) {
        postmasterPid(dir).flatMap(ProcessHandle::of).ifPresent(EmbeddedCloneStrategy::kill);
        DumpRestore.deleteTree(dir);
        swept.add(dirName);
      }
    }
    return swept;
  }

  private static Optional<Long> postmasterPid(Path dataDir) {
    Path pidFile = dataDir.resolve("postmaster.pid");
    try {
      List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
      // line 2 is the data directory: refuse to kill a process that is not the postmaster of this very directory
      if (lines.size() < 2 || !Path.of(lines.get(1).trim()).toRealPath().equals(dataDir.toRealPath())) {
        return Optional.empty();
      }
      return Optional.of(Long.parseLong(lines.get(0).trim()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static void kill(ProcessHandle postmaster) {
    postmaster.destroyForcibly();
    try {
      postmaster.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      // the directory is deleted anyway; a surviving process without its files exits on its next check
    }
  }
}
