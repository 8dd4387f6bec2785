package io.odoogitops.restore.backup;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.odoogitops.ImageDigest;
import io.odoogitops.ReleaseException;
import io.odoogitops.cluster.ClusterAccess;
import io.odoogitops.config.ClusterSpec;
import io.odoogitops.config.EnvironmentSpec;
import io.odoogitops.config.RestoreSpec;
import io.odoogitops.dryrun.clone.PgEndpoint;
import io.odoogitops.restore.RestorePoint;
import io.odoogitops.restore.RestorePointKind;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Takes restore points as an environment's configuration says (docs/restore-points.md): the database first, as a
 * CloudNativePG Backup or a logical dump, then the filestore where one is configured. In that order because Odoo
 * only adds files to its filestore for rows it commits: a filestore taken after the database holds every file the
 * database's rows refer to (and perhaps a few newer ones, which are harmless).
 */
public final class RestorePoints {

  static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  static final String LABEL_ENVIRONMENT = "odoo-gitops.io/environment";
  static final String LABEL_APPLICATION = "odoo-gitops.io/application";
  static final String ANNOTATION_DIGEST = "odoo-gitops.io/image-digest";

  private final Clock clock;
  private final Map<String, String> variables;
  private final Optional<Path> pgBinDir;
  private final Supplier<KubernetesClient> cluster;
  private final Duration pollInterval;
  private final Consumer<String> progress;

  private RestorePoints(Builder b) {
    this.clock = b.clock;
    this.variables = b.variables;
    this.pgBinDir = b.pgBinDir;
    this.cluster = b.cluster;
    this.pollInterval = b.pollInterval;
    this.progress = b.progress;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Takes a restore point of {@code environment} before {@code digest} of {@code application} reaches it. Whether the
   * environment's policy asks for one is the caller's question ({@code restorePoint} in the configuration); this
   * takes one whenever asked, with the kind the environment configures.
   */
  public RestorePoint take(EnvironmentSpec environment, String application, ImageDigest digest) {
    Objects.requireNonNull(digest, "digest");
    Optional<ClusterSpec.CloudNativePG> cnpg = environment.cloudNativePG();
    Optional<RestoreSpec.Dump> dump = environment.dump();
    if (cnpg.isEmpty() && dump.isEmpty()) {
      throw ReleaseException.badInput("environment '" + environment.name() + "' configures no way to take restore"
          + " points: add 'cluster.cloudNativePG: { cluster: NAME }' or 'restore.dump: { location: DIR, database:"
          + " { … } }' to odoo-gitops.yaml (docs/restore-points.md)");
    }
    RestoreSpec.Filestore filestore = environment.restore() == null ? null : environment.restore().filestore();
    // resolved before anything is taken, so a missing password or namespace costs no backup
    PgEndpoint source = dump.map(d -> sourceOf(environment.name(), d.database())).orElse(null);
    Instant requested = clock.instant();
    String env = environment.name();
    Pattern leftovers = Pattern.compile("\\." + Pattern.quote(env + "-" + application + "-")
        + "[0-9a-f]{12}-\\d{8}T\\d{6}Z\\.partial");
    String dumpId = PointNames.dumpDirectory(env, application, digest, requested);
    String objectName = PointNames.objectName(env, application, digest, requested);
    Map<String, String> labels = Map.of(MANAGED_BY, "odoo-gitops", LABEL_ENVIRONMENT, env,
        LABEL_APPLICATION, application);
    Map<String, String> annotations = Map.of(ANNOTATION_DIGEST, digest.value());
    String snapshotNamespace = filestore == null || filestore.volumeSnapshot() == null ? null
        : namespaceOf(environment, filestore.volumeSnapshot().namespace(), "restore.filestore.volumeSnapshot");

    RestorePoint.CloudNativePGBackup backup = null;
    LogicalDumps.Taken dumped = null;
    Cluster k8s = new Cluster();
    if (cnpg.isPresent()) {
      String namespace = namespaceOf(environment, cnpg.get().namespace(), "cluster.cloudNativePG");
      backup = new CloudNativePGBackups(k8s.waiter()).take(namespace, cnpg.get(), objectName, labels, annotations,
          requested);
    } else {
      dumped = new LogicalDumps(pgBinDir, clock, progress).take(dump.get(), source, dumpId, leftovers);
    }
    RestorePoint.FilestorePart files = null;
    try {
      if (filestore != null && filestore.volumeSnapshot() != null) {
        files = new VolumeSnapshots(k8s.waiter()).take(snapshotNamespace, filestore.volumeSnapshot(),
            objectName + "-fs", labels, annotations, clock.instant());
      } else if (filestore != null) {
        files = FilestoreCopy.copy(Path.of(filestore.copy().from()), Path.of(filestore.copy().to()), dumpId,
            leftovers, clock.instant());
      }
    } catch (ReleaseException e) {
      String database = backup != null ? "the Backup " + backup.namespace() + "/" + objectName
          : "the dump " + dumped.directory().directory();
      throw new ReleaseException(e.kind(), e.getMessage() + "\n  the database part exists (" + database + ") but a"
          + " restore point without its filestore is not recorded: fix the filestore and take a new point", e);
    }
    if (backup != null) {
      Instant at = backup.stoppedAt() != null ? backup.stoppedAt() : backup.startedAt();
      return new RestorePoint(RestorePoint.SCHEMA_VERSION, RestorePointKind.CLOUDNATIVEPG, objectName, at, env,
          application, digest, backup.namespace() + "/" + objectName, backup, null, files);
    }
    return new RestorePoint(RestorePoint.SCHEMA_VERSION, RestorePointKind.DUMP, dumpId, dumped.takenAt(), env,
        application, digest, dumped.directory().directory(), null, dumped.directory(), files);
  }

  private static String namespaceOf(EnvironmentSpec environment, String configured, String key) {
    if (configured != null) {
      return configured;
    }
    if (environment.cluster() != null && environment.cluster().namespace() != null) {
      return environment.cluster().namespace();
    }
    throw ReleaseException.badInput("environment '" + environment.name() + "': " + key + " needs a namespace (its"
        + " own or the cluster block's)");
  }

  /** The production database of a dump, with its password from the named variable or file. */
  PgEndpoint sourceOf(String environment, RestoreSpec.Database database) {
    String key = "environments." + environment + ".restore.dump.database";
    String password = database.password(variables, key);
    try {
      return PgEndpoint.parse(database.url(), database.user(), password);
    } catch (ReleaseException e) {
      throw new ReleaseException(e.kind(), "odoo-gitops.yaml: " + key + ".url: " + e.getMessage());
    }
  }

  /** Asks for the Kubernetes client only when a part of the point needs it. */
  private final class Cluster {
    private ObjectWait waiter;

    ObjectWait waiter() {
      if (waiter == null) {
        if (cluster == null) {
          throw ReleaseException.badInput("this restore point needs the Kubernetes API server, and no cluster"
              + " connection was given");
        }
        waiter = new ObjectWait(new ClusterAccess(cluster.get()), clock, pollInterval, progress);
      }
      return waiter;
    }
  }

  /** Builder for {@link RestorePoints}. */
  public static final class Builder {
    private Clock clock = Clock.systemUTC();
    private Map<String, String> variables = System.getenv();
    private Optional<Path> pgBinDir = Optional.empty();
    private Supplier<KubernetesClient> cluster;
    private Duration pollInterval = Duration.ofSeconds(5);
    private Consumer<String> progress = line -> { };

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock);
      return this;
    }

    /** Where {@code passwordEnv} is looked up (default: the process environment). */
    public Builder environmentVariables(Map<String, String> variables) {
      this.variables = Map.copyOf(variables);
      return this;
    }

    /** The bin directory of the PostgreSQL client to use (default: the newest fitting one found). */
    public Builder pgBinDir(Path dir) {
      this.pgBinDir = Optional.ofNullable(dir);
      return this;
    }

    /** Gives a client of the API server, asked only if the point needs one; the caller closes what it opened. */
    public Builder cluster(Supplier<KubernetesClient> cluster) {
      this.cluster = cluster;
      return this;
    }

    public Builder pollInterval(Duration pollInterval) {
      if (pollInterval.isNegative() || pollInterval.isZero()) {
        throw ReleaseException.badInput("the poll interval must be positive");
      }
      this.pollInterval = pollInterval;
      return this;
    }

    public Builder progress(Consumer<String> progress) {
      this.progress = Objects.requireNonNull(progress);
      return this;
    }

    public RestorePoints build() {
      return new RestorePoints(this);
    }
  }
}
