package io.odoogitops.fleet;

import io.odoogitops.ImageDigest;
import io.odoogitops.ReleaseException;
import io.odoogitops.config.EnvironmentSpec;
import io.odoogitops.config.ReleaseConfig;
import io.odoogitops.config.RestoreSpec;
import io.odoogitops.dryrun.report.ReportFiles;
import io.odoogitops.dryrun.setup.DryRunOutcome;
import io.odoogitops.dryrun.setup.DryRunSetup;
import io.odoogitops.dryrun.upgrade.OdooUpgradePhase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * {@code fleet dry-run}: the ordinary dry-run ({@link DryRunSetup}, not a copy of it) for every tenant of a fleet
 * that names its own database ({@code environments.<tenant>.dryRun.source}), at most {@code parallel} at a time, each
 * with its own clone and its reports in {@code <reportDir>/<tenant>/}, the layout the gate of each tenant and
 * {@code fleet promote --dry-run-reports} read.
 *
 * <p>Every tenant's setup is built (and so every input checked) before the first clone: a typo in the last tenant's
 * block costs no clone of the first. A tenant whose run fails to run (unreachable source, wrong password) does not
 * stop the others; it has no report and the run's exit code says so. Tenants not yet started when the run is
 * interrupted (or the JVM is asked to stop) never start; those running drop their clones as every dry-run does.
 */
public final class FleetDryRun {

  /** At most this many dry-runs at a time: each holds a clone and its server's resources. */
  public static final int MAX_PARALLEL = 16;
  /** How long an interrupted run waits for the running dry-runs to drop their clones before it returns. */
  static final Duration DRAIN = Duration.ofMinutes(2);

  private final Fleet fleet;
  private final ImageDigest digest;
  private final Path reportDir;
  private final int parallel;
  private final List<Planned> planned;

  private FleetDryRun(Fleet fleet, ImageDigest digest, Path reportDir, int parallel, List<Planned> planned) {
    this.fleet = fleet;
    this.digest = digest;
    this.reportDir = reportDir;
    this.parallel = parallel;
    this.planned = List.copyOf(planned);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** One tenant as built: its setup, or why it is skipped. */
  private record Planned(String tenant, String wave, DryRunSetup setup, String skipped) {}

  /**
   * Runs the tenants' dry-runs and returns every tenant's result, in wave order.
   *
   * @param progress one line per step of every tenant, prefixed with the tenant; called from several threads, one
   *     at a time
   * @throws ReleaseException infrastructure, when interrupted: the tenants that had not started did not run
   */
  public FleetDryRunResult run(Consumer<String> progress) {
    Objects.requireNonNull(progress, "progress");
    Consumer<String> serialized = line -> {
      synchronized (this) {
        progress.accept(line);
      }
    };
    List<Planned> runnable = planned.stream().filter(p -> p.setup() != null).toList();
    AtomicBoolean stopping = new AtomicBoolean();
    AtomicInteger counter = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallel, runnable.size()), task -> {
      Thread thread = new Thread(task, "fleet-dry-run-" + counter.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    // Ctrl-C or SIGTERM: queued tenants must not start a clone while the JVM goes down; the running ones' clones are
    // dropped by their own hooks.
    Thread hook = new Thread(() -> {
      stopping.set(true);
      pool.shutdownNow();
    }, "fleet-dry-run-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    Map<String, Future<FleetDryRunResult.TenantResult>> futures = new LinkedHashMap<>();
    try {
      for (Planned p : runnable) {
        futures.put(p.tenant(), pool.submit(() -> runTenant(p, stopping, serialized)));
      }
      pool.shutdown();
      List<FleetDryRunResult.TenantResult> results = new ArrayList<>();
      for (Planned p : planned) {
        if (p.setup() == null) {
          results.add(FleetDryRunResult.TenantResult.skipped(p.tenant(), p.wave(), p.skipped()));
          continue;
        }
        results.add(await(futures.get(p.tenant())));
      }
      return new FleetDryRunResult(fleet.name(), fleet.application(), digest, reportDir.toString(), parallel,
          results);
    } catch (InterruptedException e) {
      stopping.set(true);
      pool.shutdownNow();
      drain(pool);
      Thread.currentThread().interrupt();
      long started = futures.values().stream().filter(f -> f.isDone() && !f.isCancelled()).count();
      throw ReleaseException.infrastructure("fleet dry-run of " + fleet.name() + " interrupted: " + started + " of "
          + futures.size() + " tenant dry-run(s) finished or stopped, the others did not start; every clone is"
          + " dropped. Run it again for the missing reports", e);
    } finally {
      pool.shutdownNow();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the JVM is going down: the hook is running or has run, which is what it is for
      }
    }
  }

  private FleetDryRunResult.TenantResult runTenant(Planned p, AtomicBoolean stopping, Consumer<String> progress) {
    if (stopping.get() || Thread.currentThread().isInterrupted()) {
      return FleetDryRunResult.TenantResult.notRun(p.tenant(), p.wave(), "stopped before it started");
    }
    String prefix = p.tenant() + ": ";
    progress.accept(prefix + "dry-run starts");
    long start = System.nanoTime();
    try {
      DryRunOutcome outcome = p.setup().run(line -> progress.accept(prefix + line));
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      progress.accept(prefix + "dry-run " + outcome.verdict() + " in " + took.toSeconds() + " s");
      return FleetDryRunResult.TenantResult.ran(p.tenant(), p.wave(), outcome, took);
    } catch (ReleaseException e) {
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      progress.accept(prefix + "dry-run could not run: " + e.getMessage());
      return FleetDryRunResult.TenantResult.error(p.tenant(), p.wave(), e, took);
    }
  }

  private static FleetDryRunResult.TenantResult await(Future<FleetDryRunResult.TenantResult> future)
      throws InterruptedException {
    try {
      return future.get();
    } catch (ExecutionException e) {
      // Not a ReleaseException (those are results): a bug, reported as one by the caller's handler.
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(cause);
    }
  }

  /** Waits for the running dry-runs to leave (each drops its clone on the way out), a second interrupt ending it. */
  private static void drain(ExecutorService pool) {
    try {
      pool.awaitTermination(DRAIN.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException again) {
      Thread.currentThread().interrupt();
    }
  }

  /** What {@code fleet dry-run} is given. */
  public static final class Builder {
    private ReleaseConfig config;
    private String fleetName;
    private String imageRef;
    private ImageDigest digest;
    private Path reportDir;
    private Path baseDirectory = Path.of("");
    private int parallel = 2;
    private Map<String, String> variables = System.getenv();
    private Consumer<DryRunSetup.Builder> options = b -> { };
    private Function<String, OdooUpgradePhase> upgradePhases;

    private Builder() {
    }

    /** The fleet {@code name} of a loaded configuration. */
    public Builder fleet(ReleaseConfig value, String name) {
      this.config = value;
      this.fleetName = name;
      return this;
    }

    /** The image every tenant's verdict is bound to: reference (for the report and the runners) and digest. */
    public Builder image(String reference, ImageDigest imageDigest) {
      this.imageRef = reference;
      this.digest = imageDigest;
      return this;
    }

    /** Tenant {@code t}'s reports go to {@code <dir>/t/}. */
    public Builder reportDir(Path dir) {
      this.reportDir = dir;
      return this;
    }

    /** What relative paths are relative to (default: the working directory). */
    public Builder baseDirectory(Path dir) {
      this.baseDirectory = dir;
      return this;
    }

    /** Dry-runs at the same time, 1 to {@value #MAX_PARALLEL} (default 2). */
    public Builder parallel(int value) {
      this.parallel = value;
      return this;
    }

    /** Where {@code passwordEnv} variables are read (default: the process's environment). */
    public Builder variables(Map<String, String> value) {
      this.variables = Map.copyOf(value);
      return this;
    }

    /**
     * The dry-run options every tenant shares (strategy, migrations, addons, image archive, runner, thresholds,
     * signing key...), applied to a fresh {@link DryRunSetup.Builder} per tenant; the source, the image and the report
     * directory are set here afterwards and cannot be overridden.
     */
    public Builder tenantOptions(Consumer<DryRunSetup.Builder> value) {
      this.options = Objects.requireNonNull(value, "tenantOptions");
      return this;
    }

    /**
     * Each tenant's {@code odoo -u} runner, given the tenant's name (a Kubernetes Job named after it:
     * {@code fleet dry-run --upgrade-job}); set after {@link #tenantOptions}, so it is the tenant's only runner. Asked
     * while {@link #build} checks the tenants, so its bad input names the tenant and costs no clone.
     */
    public Builder upgradePhases(Function<String, OdooUpgradePhase> value) {
      this.upgradePhases = Objects.requireNonNull(value, "upgradePhases");
      return this;
    }

    /**
     * Resolves the fleet and builds every tenant's dry-run, checking all inputs and contacting nothing.
     *
     * @throws ReleaseException bad input, naming the tenant
     */
    public FleetDryRun build() {
      Objects.requireNonNull(config, "fleet");
      if (parallel < 1 || parallel > MAX_PARALLEL) {
        throw ReleaseException.badInput("--parallel must be between 1 and " + MAX_PARALLEL + ", not " + parallel
            + ": each dry-run holds a clone of a production database");
      }
      Objects.requireNonNull(digest, "digest");
      if (reportDir == null) {
        throw ReleaseException.badInput("no report directory given; each tenant's reports go to DIR/<tenant>/");
      }
      Fleet fleet = Fleet.of(config, fleetName);
      Path reports = Objects.requireNonNull(baseDirectory, "baseDirectory").toAbsolutePath().resolve(reportDir)
          .normalize();
      List<Planned> planned = new ArrayList<>();
      for (Fleet.Wave wave : fleet.waves()) {
        for (Fleet.Tenant tenant : wave.tenants()) {
          planned.add(plan(config.environment(tenant.name()), wave.name(), reports));
        }
      }
      if (planned.stream().allMatch(p -> p.setup() == null)) {
        throw ReleaseException.badInput("no tenant of fleet '" + fleet.name() + "' names its own database, so"
            + " there is nothing to dry-run: add 'dryRun: { source: { url: jdbc:postgresql://host:5432/db, user: …,"
            + " passwordEnv: VAR } }' to the tenants in " + ReleaseConfig.FILE_NAME + " (docs/fleet.md)");
      }
      return new FleetDryRun(fleet, digest, reports, parallel, planned);
    }

    private Planned plan(EnvironmentSpec env, String wave, Path reports) {
      if (env.dryRun() == null) {
        return new Planned(env.name(), wave, null, "no dryRun.source in " + ReleaseConfig.FILE_NAME);
      }
      RestoreSpec.Database source = env.dryRun().source();
      String key = "environments." + env.name() + ".dryRun.source";
      Path dir = reports.resolve(env.name()).normalize();
      if (!reports.equals(dir.getParent())) {
        // environment names cannot climb (the loader's pattern), but the layout is the interface: say so if broken
        throw ReleaseException.badInput("tenant '" + env.name() + "' is not a directory name under " + reports);
      }
      try {
        DryRunSetup.Builder setup = DryRunSetup.builder().baseDirectory(baseDirectory);
        options.accept(setup);
        if (upgradePhases != null) {
          setup.upgradePhase(upgradePhases.apply(env.name()));
        }
        return new Planned(env.name(), wave, setup
            .source(source.url(), source.user(), source.password(variables, key))
            .image(imageRef, digest)
            .reportDir(dir)
            .build(), null);
      } catch (ReleaseException e) {
        throw new ReleaseException(e.kind(), "tenant " + env.name() + ": " + e.getMessage(), e);
      }
    }
  }

  /** The files of a tenant's reports under {@code dir}: what {@code fleet promote --dry-run-reports} reads. */
  public static Path reportOf(Path dir, String tenant) {
    return dir.resolve(tenant).resolve(ReportFiles.JSON);
  }
}
