package io.odoogitops.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.odoogitops.ImageDigest;
import io.odoogitops.ReleaseException;
import io.odoogitops.config.EnvironmentSpec;
import io.odoogitops.config.ReleaseConfig;
import io.odoogitops.restore.RestorePlan;
import io.odoogitops.restore.RestorePoint;
import io.odoogitops.restore.RestorePointEvidence;
import io.odoogitops.restore.RestorePointSignature;
import io.odoogitops.restore.backup.RestorePlanner;
import io.odoogitops.restore.backup.RestorePoints;
import io.odoogitops.signing.SshSigner;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code odoo-gitops restore-point take|plan}: the database (and filestore) of an environment as it was before a
 * release, and how to go back to it (docs/restore-points.md).
 */
@Command(name = "restore-point", description = "Restore points of an environment's database, and restore plans.",
    subcommands = {RestorePointCommand.Take.class, RestorePointCommand.Plan.class})
public final class RestorePointCommand implements Runnable {

  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "name a subcommand: take or plan");
  }

  /** Opens the API server only when asked, and closes what was opened. */
  static final class LazyCluster implements Supplier<KubernetesClient>, AutoCloseable {
    private final ClusterConnectionOptions connection;
    private KubernetesClient client;

    LazyCluster(ClusterConnectionOptions connection) {
      this.connection = connection;
    }

    /** Synchronized: {@code fleet restore-point take} asks from several threads, and one client serves them all. */
    @Override
    public synchronized KubernetesClient get() {
      if (client == null) {
        try {
          client = connection.connection().open();
        } catch (KubernetesClientException e) {
          throw ReleaseException.badInput("cannot connect with " + connection.connection() + ": "
              + e.getClass().getSimpleName());
        }
      }
      return client;
    }

    @Override
    public synchronized void close() {
      if (client != null) {
        client.close();
      }
    }
  }

  /** The environment and application both subcommands act on. */
  static final class Target {
    @Option(names = "--env", required = true, paramLabel = "ENV", description = "Environment, e.g. production.")
    String env;

    @Option(names = "--app", required = true, paramLabel = "APP", description = "Application, e.g. shop.")
    String app;
  }

  private static PrintWriter progress(CommandSpec spec) {
    return spec.commandLine().getErr();
  }

  /** {@code restore-point take}. */
  @Command(name = "take", description = {
      "Takes a restore point of the environment's database as odoo-gitops.yaml configures it (a CloudNativePG"
          + " Backup, or a checked pg_dump -Fd), then of the filestore where one is configured, and writes its"
          + " evidence file.",
      "Prints the Restore-Point trailer. Exit 0 taken, 1 refused (an existing point of that name), 2 bad input,"
          + " 3 the backup or dump failed or timed out."})
  static final class Take implements Callable<Integer> {

    private final Map<String, String> environment;

    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output;

    @Mixin
    Target target;

    @Option(names = "--digest", required = true, paramLabel = "sha256:...", converter = ImageConverters.Digest.class,
        description = "The digest of the release the point protects against.")
    ImageDigest digest;

    @Option(names = "--evidence", paramLabel = "FILE", defaultValue = "restore-point.json",
        description = "Where to write the evidence file (default: ${DEFAULT-VALUE}).")
    Path evidence;

    @Option(names = "--pg-bin-dir", paramLabel = "DIR",
        description = "Bin directory of the PostgreSQL client for dumps (default: the newest fitting one found).")
    Path pgBinDir;

    @Mixin
    PolicyConfigOption config;

    @Mixin
    ClusterConnectionOptions connection;

    @Mixin
    SigningOptions signing;

    Take() {
      this(System.getenv());
    }

    /** The dump's password variable is looked up in {@code environment}, the run's, given by {@link Main}. */
    Take(Map<String, String> environment) {
      this.environment = environment;
    }

    @Override
    public Integer call() {
      ReleaseConfig loaded = config.load();
      EnvironmentSpec where = loaded.environment(target.env);
      loaded.application(target.app);
      // The key is opened before the backup runs: a wrong passphrase must not cost an hour-long backup.
      Optional<SshSigner> signer = signing.restorePointSigner();
      PrintWriter err = progress(spec);
      try (LazyCluster cluster = new LazyCluster(connection)) {
        RestorePoint point = RestorePoints.builder().environmentVariables(environment).pgBinDir(pgBinDir)
            .cluster(cluster).progress(line -> {
              err.println(line);
              err.flush();
            }).build().take(where, target.app, digest);
        RestorePointEvidence.write(point, evidence, signer.map(s -> RestorePointSignature.sign(point, s)));
        output.print(spec.commandLine().getOut(), point, point.trailer() + "\n  " + point.kind().word() + " at "
            + point.location() + (point.filestore() == null ? "" : "\n  filestore: " + point.filestore().kind()
            + " " + point.filestore().name()) + "\n  evidence: " + evidence
            + (signer.isEmpty() ? "" : "\n  signature: " + RestorePointSignature.fileOf(evidence)));
        return 0;
      }
    }
  }

  /** {@code restore-point plan}. */
  @Command(name = "plan", description = {
      "Prints how to restore the environment to a restore point in a rollback: a new CloudNativePG cluster from the"
          + " backup, or pg_restore into a new database; and which data that loses.",
      "Exit 0 planned, 1 the point can no longer be restored, 2 bad input, 3 cluster unreachable."})
  static final class Plan implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    OutputOptions output;

    @Mixin
    Target target;

    @Option(names = "--point", required = true, paramLabel = "FILE",
        description = "The restore point's evidence file, as 'restore-point take' wrote it.")
    Path point;

    @Option(names = "--recover-until", paramLabel = "TIME",
        description = "CloudNativePG with a WAL archive: recover up to this UTC time (e.g. the promotion commit's,"
            + " 2026-11-30T09:00:00Z) instead of the point's, losing less; it must precede the release's migration.")
    Instant recoverUntil;

    @Mixin
    PolicyConfigOption config;

    @Mixin
    ClusterConnectionOptions connection;

    @Override
    public Integer call() {
      RestorePoint restorePoint = RestorePointEvidence.read(point);
      if (!restorePoint.application().equals(target.app)) {
        throw ReleaseException.badInput("the restore point " + restorePoint.id() + " was taken for "
            + restorePoint.application() + ", not " + target.app + "; pass the evidence file of a point of "
            + target.app);
      }
      EnvironmentSpec environment = config.load().environment(target.env);
      try (LazyCluster cluster = new LazyCluster(connection)) {
        RestorePlan plan = new RestorePlanner(Clock.systemUTC(), cluster).plan(restorePoint, environment,
            Optional.ofNullable(recoverUntil));
        output.print(spec.commandLine().getOut(), plan, plan.humanText());
        return 0;
      }
    }
  }
}
