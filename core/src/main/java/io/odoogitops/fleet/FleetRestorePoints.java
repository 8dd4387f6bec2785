package io.odoogitops.fleet;

import io.odoogitops.ImageDigest;
import io.odoogitops.ReleaseException;
import io.odoogitops.config.EnvironmentSpec;
import io.odoogitops.gitops.GateCheck;
import io.odoogitops.restore.RestorePoint;
import io.odoogitops.restore.RestorePointEvidence;
import io.odoogitops.restore.RestorePointSignature;
import io.odoogitops.restore.backup.RestorePoints;
import io.odoogitops.signing.SshSigner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * {@code fleet restore-point take}: a restore point for every tenant of a rollout's current wave whose gate needs
 * one ({@link FleetRollout#restorePointsNeeded}), taken with the same core call as {@code restore-point take}
 * ({@link RestorePoints#take}), at most {@code parallel} at a time, each written to
 * {@code <dir>/<tenant>/restore-point.json} (and its {@code .sig} when signed): the layout
 * {@code fleet promote --restore-points DIR} reads, which hands each tenant's gate its own point.
 */
public final class FleetRestorePoints {

  /** At most this many points at a time: each is a backup or a {@code pg_dump -j N} against a production server. */
  public static final int MAX_PARALLEL = 16;
  /** The evidence file of a tenant under the points directory. */
  public static final String EVIDENCE = "restore-point.json";

  private final Function<Consumer<String>, RestorePoints> points;
  private final Path dir;
  private final int parallel;
  private final Optional<SshSigner> signer;

  /**
   * @param points given a tenant's progress lines, what takes its point (cluster client, password variables, client
   *     tools); called from several threads
   * @param dir where {@code <tenant>/restore-point.json} goes; created when missing
   * @param parallel points at a time, 1 to {@value #MAX_PARALLEL}
   * @param signer signs every evidence file ({@code restore-point take --signing-key}), opened before any backup
   */
  public FleetRestorePoints(Function<Consumer<String>, RestorePoints> points, Path dir, int parallel, Optional<SshSigner> signer) {
    if (parallel < 1 || parallel > MAX_PARALLEL) {
      throw ReleaseException.badInput("--parallel must be between 1 and " + MAX_PARALLEL + ", not " + parallel
          + ": each restore point is a backup or a dump of a production database");
    }
    this.points = Objects.requireNonNull(points, "points");
    this.dir = Objects.requireNonNull(dir, "dir").toAbsolutePath().normalize();
    this.parallel = parallel;
    this.signer = signer == null ? Optional.empty() : signer;
  }

  /** The evidence file of {@code tenant} under {@code dir}. */
  public static Path evidenceOf(Path dir, String tenant) {
    return dir.resolve(tenant).resolve(EVIDENCE);
  }

  /**
   * One tenant of the current wave that needs a point before the digest reaches it.
   *
   * @param why what in its policy asks for one
   */
  public record Needed(String tenant, String wave, EnvironmentSpec environment, String why) {}

  /** One tenant of the current wave that needs no point now, and why. */
  public record Skipped(String tenant, String wave, String why) {}

  /**
   * What the rollout's state says about restore points for {@code digest}.
   *
   * @param wave the current wave (the first with a tenant not yet verified: a soaking wave is done, so its
   *     successor's points are taken during the soak); null when every wave is done
   */
  public record Selection(String fleet, String application, ImageDigest digest, String wave, List<Needed> needed,
      List<Skipped> skipped) {
    public Selection {
      needed = List.copyOf(needed);
      skipped = List.copyOf(skipped);
    }
  }

  /**
   * Takes the points of {@code selection}, writing each tenant's evidence as it is taken. A tenant whose point fails
   * does not stop the others; it has no evidence file from this run and the result's exit code says so.
   *
   * @param progress lines for people, prefixed with the tenant; called from several threads, one at a time
   * @throws ReleaseException bad input when the directory cannot hold the evidence; infrastructure when interrupted
   */
  public FleetRestorePointResult take(Selection selection, Consumer<String> progress) {
    Objects.requireNonNull(progress, "progress");
    Consumer<String> serialized = line -> {
      synchronized (this) {
        progress.accept(line);
      }
    };
    // Every tenant's directory is checked before the first backup starts: a bad --out costs no backup. An earlier
    // run's evidence goes first, for skipped tenants too: a point that fails tonight must not leave last night's
    // point for the gate to take as tonight's.
    Map<String, Path> files = new LinkedHashMap<>();
    selection.needed().forEach(n -> files.put(n.tenant(), tenantFile(n.tenant(), true)));
    List<Path> earlier = new ArrayList<>(files.values());
    selection.skipped().forEach(s -> earlier.add(tenantFile(s.tenant(), false)));
    earlier.forEach(this::removeEarlierPoint);
    List<FleetRestorePointResult.TenantPoint> results = new ArrayList<>();
    selection.skipped().forEach(s -> results.add(FleetRestorePointResult.TenantPoint.skipped(s.tenant(), s.wave(),
        s.why())));
    if (selection.needed().isEmpty()) {
      return new FleetRestorePointResult(selection.fleet(), selection.application(), selection.digest(),
          selection.wave(), dir.toString(), parallel, results);
    }
    AtomicInteger counter = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallel, selection.needed().size()), task -> {
      Thread thread = new Thread(task, "fleet-restore-point-" + counter.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    Map<String, Future<FleetRestorePointResult.TenantPoint>> running = new LinkedHashMap<>();
    try {
      for (Needed n : selection.needed()) {
        running.put(n.tenant(), pool.submit(() -> takeOne(selection, n, files.get(n.tenant()), serialized)));
      }
      pool.shutdown();
      for (Needed n : selection.needed()) {
        results.add(await(running.get(n.tenant())));
      }
    } catch (InterruptedException e) {
      pool.shutdownNow();
      Thread.currentThread().interrupt();
      long finished = running.values().stream().filter(f -> f.isDone() && !f.isCancelled()).count();
      throw ReleaseException.infrastructure("fleet restore-point take of " + selection.fleet() + " interrupted: "
          + finished + " of " + running.size() + " point(s) finished; a point without its evidence file is not"
          + " one (a CloudNativePG Backup may still complete in the cluster). Run it again for the missing ones", e);
    } finally {
      pool.shutdownNow();
    }
    return new FleetRestorePointResult(selection.fleet(), selection.application(), selection.digest(),
        selection.wave(), dir.toString(), parallel, results);
  }

  private FleetRestorePointResult.TenantPoint takeOne(Selection selection, Needed n, Path file,
      Consumer<String> progress) {
    String prefix = n.tenant() + ": ";
    progress.accept(prefix + "restore point starts (" + n.why() + ")");
    try {
      RestorePoint point = points.apply(line -> progress.accept(prefix + line)).take(n.environment(), selection.application(), selection.digest());
      Optional<String> signature;
      synchronized (this) {
        // one key, one agent of it: signatures are made one at a time
        signature = signer.map(s -> RestorePointSignature.sign(point, s));
      }
      RestorePointEvidence.write(point, file, signature);
      progress.accept(prefix + point.trailer());
      return FleetRestorePointResult.TenantPoint.taken(n.tenant(), n.wave(), point.trailer(), file.toString(),
          signature.isPresent() ? RestorePointSignature.fileOf(file).toString() : null, n.why());
    } catch (ReleaseException e) {
      progress.accept(prefix + "no restore point: " + e.getMessage());
      return FleetRestorePointResult.TenantPoint.failed(n.tenant(), n.wave(), e);
    }
  }

  /**
   * {@code <dir>/<tenant>/restore-point.json}, its directory created when {@code create}; a link or a file in the way
   * is refused, so nothing outside {@code dir} is ever written or removed.
   */
  private Path tenantFile(String tenant, boolean create) {
    Path tenantDir = dir.resolve(tenant).normalize();
    if (!dir.equals(tenantDir.getParent())) {
      throw ReleaseException.badInput("tenant '" + tenant + "' is not a directory name under " + dir);
    }
    try {
      if (Files.isSymbolicLink(dir) || Files.isSymbolicLink(tenantDir)) {
        throw ReleaseException.badInput("--out " + dir + ": " + (Files.isSymbolicLink(dir) ? dir : tenantDir)
            + " is a symbolic link; give a real directory for the restore points");
      }
      if (create) {
        Files.createDirectories(tenantDir);
      } else if (!Files.exists(tenantDir, LinkOption.NOFOLLOW_LINKS)) {
        return tenantDir.resolve(EVIDENCE);
      }
      if (!Files.isDirectory(tenantDir, LinkOption.NOFOLLOW_LINKS)) {
        throw ReleaseException.badInput("--out " + dir + ": " + tenantDir + " is not a directory");
      }
    } catch (IOException e) {
      throw ReleaseException.badInput("--out " + dir + ": cannot create " + tenantDir + " ("
          + e.getClass().getSimpleName() + "); give a writable directory");
    }
    return tenantDir.resolve(EVIDENCE);
  }

  /**
   * Removes the evidence an earlier run left at {@code evidence} (checked by {@link #tenantFile}), and its signature;
   * the evidence first, since a signature without its evidence file is never read (see {@link #gateInputs}).
   */
  private void removeEarlierPoint(Path evidence) {
    try {
      Files.deleteIfExists(evidence);
      Files.deleteIfExists(RestorePointSignature.fileOf(evidence));
    } catch (IOException e) {
      throw ReleaseException.badInput("--out " + dir + ": cannot remove the point an earlier run left at " + evidence
          + " (" + e.getClass().getSimpleName() + "); give a writable directory");
    }
  }

  private static FleetRestorePointResult.TenantPoint await(Future<FleetRestorePointResult.TenantPoint> future)
      throws InterruptedException {
    try {
      return future.get();
    } catch (ExecutionException e) {
      // not a ReleaseException (those are results): a bug, reported as one by the caller's handler
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  /**
   * Gate inputs per tenant: {@code perTenant}'s with the tenant's own restore point,
   * {@code DIR/<tenant>/restore-point.json} and its {@code .sig} when present (the layout
   * {@code fleet restore-point take} writes); without a file the tenant has no point.
   */
  public static Function<String, GateCheck.Inputs> gateInputs(Path dir,
      Function<String, GateCheck.Inputs> perTenant) {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      throw ReleaseException.badInput("--restore-points " + dir + " is not a directory; pass the directory 'fleet"
          + " restore-point take' wrote (one <tenant>/" + EVIDENCE + " per tenant)");
    }
    return tenant -> {
      GateCheck.Inputs base = perTenant.apply(tenant);
      Path evidence = evidenceOf(dir, tenant);
      if (!Files.exists(evidence, LinkOption.NOFOLLOW_LINKS)) {
        return base;
      }
      // read through InputFiles: links, FIFOs and oversize files are refused there
      return new GateCheck.Inputs(base.sourceAuthor(), base.approvals(), base.dryRun(), base.override(),
          base.ballots(), base.authorIdentities(), Optional.of(RestorePointEvidence.read(evidence)),
          RestorePointSignature.readNextTo(evidence));
    };
  }
}
