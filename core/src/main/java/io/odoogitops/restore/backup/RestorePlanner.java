package io.odoogitops.restore.backup;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.odoogitops.ReleaseException;
import io.odoogitops.cluster.ClusterAccess;
import io.odoogitops.config.EnvironmentSpec;
import io.odoogitops.config.RestoreSpec;
import io.odoogitops.restore.RestorePlan;
import io.odoogitops.restore.RestorePoint;
import io.odoogitops.restore.RestorePointKind;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Turns a restore point into the plan of a rollback that restores it (docs/restore-points.md). A restore never
 * overwrites the database in use: it creates a new CloudNativePG cluster or a new database next to it, so the old
 * one keeps the data written since the point for whoever must re-enter it, and switching back is one commit.
 */
public final class RestorePlanner {

  /** Spec keys of the source Cluster the restored one keeps: how it runs, not where its data comes from. */
  private static final List<String> KEPT_SPEC = List.of("instances", "imageName", "imageCatalogRef",
      "imagePullSecrets", "postgresql", "storage", "walStorage", "tablespaces", "resources", "affinity",
      "topologySpreadConstraints", "priorityClassName", "enableSuperuserAccess", "superuserSecret", "postgresUID",
      "postgresGID", "primaryUpdateStrategy", "primaryUpdateMethod", "monitoring", "managed", "env", "envFrom",
      "serviceAccountTemplate", "certificates", "inheritedMetadata");
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss")
      .withZone(ZoneOffset.UTC);
  /** PostgreSQL's recovery_target_time format, which CloudNativePG passes on. */
  private static final DateTimeFormatter PG_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSxxx")
      .withZone(ZoneOffset.UTC);
  private static final int MAX_CLUSTER_NAME = 50;

  private final Clock clock;
  private final Supplier<KubernetesClient> cluster;

  /** @param cluster the API server, asked only for CloudNativePG points; may be null for dumps */
  public RestorePlanner(Clock clock, Supplier<KubernetesClient> cluster) {
    this.clock = clock;
    this.cluster = cluster;
  }

  public RestorePlan plan(RestorePoint point, EnvironmentSpec environment) {
    return plan(point, environment, Optional.empty());
  }

  /**
   * The plan's text for the refusal of a rollback that needs a restore, which must reach the person on call whatever
   * the cluster connection does: the plan of {@code point}, or, when it cannot be made here (the cluster unreachable,
   * the backup gone), why and {@code elsewhere}, the command that prints it where it can. Without a point, only
   * {@code elsewhere}.
   */
  public String refusalText(Optional<RestorePoint> point, EnvironmentSpec environment, String elsewhere) {
    if (point.isEmpty()) {
      return elsewhere;
    }
    try {
      return plan(point.get(), environment).humanText();
    } catch (ReleaseException e) {
      return cannotPlan(point.get(), e.getMessage(), elsewhere);
    } catch (KubernetesClientException e) {
      return cannotPlan(point.get(), "the cluster could not be read (" + e.getClass().getSimpleName() + ", HTTP "
          + e.getCode() + ")", elsewhere);
    }
  }

  /** What is lost is known without the cluster: the person on call must read it even when the plan cannot be made. */
  private String cannotPlan(RestorePoint point, String why, String elsewhere) {
    Duration since = Duration.between(point.takenAt(), clock.instant());
    return "DATA LOSS: a restore to the " + point.kind().word() + " restore point " + point.id() + " loses everything"
        + " written to the database since " + point.takenAt() + " (" + RestorePlan.human(since.isNegative()
            ? Duration.ZERO : since) + " ago, growing until writes stop)\n"
        + "the restore plan cannot be made here: " + why + "\nprint it where it can: " + elsewhere;
  }

  /**
   * @param recoverUntil for a CloudNativePG point with a WAL archive (barmanObjectStore, plugin): recover up to this
   *     later time instead of the point's, so less data is lost. It must be before the release's migration started
   *     on production, e.g. the promotion commit's time; a later one restores the migrated schema.
   */
  public RestorePlan plan(RestorePoint point, EnvironmentSpec environment, Optional<Instant> recoverUntil) {
    if (!point.environment().equals(environment.name())) {
      throw ReleaseException.badInput("the restore point " + point.id() + " was taken in " + point.environment()
          + ", not " + environment.name() + "; pass the evidence file of a point of " + environment.name());
    }
    Instant now = clock.instant();
    if (recoverUntil.isPresent()) {
      String method = point.cloudNativePG() == null ? null : point.cloudNativePG().method();
      if (point.kind() != RestorePointKind.CLOUDNATIVEPG || "volumeSnapshot".equals(method)) {
        throw ReleaseException.badInput("a recovery time other than the point's needs a WAL archive: a "
            + (point.kind() == RestorePointKind.DUMP ? "dump" : "volume snapshot") + " restores to its own time");
      }
      if (recoverUntil.get().isBefore(point.takenAt()) || recoverUntil.get().isAfter(now)) {
        throw ReleaseException.badInput("the recovery time " + recoverUntil.get() + " must be between the point's"
            + " time " + point.takenAt() + " and now");
      }
    }
    return point.kind() == RestorePointKind.CLOUDNATIVEPG
        ? cloudNativePG(point, environment, now, recoverUntil.orElse(point.takenAt()))
        : dump(point, environment, now);
  }

  /** Recovery ends at the consistent end of the backup, or at {@code until} when a later time was asked for. */
  private static void endAt(Map<String, Object> target, boolean atPoint, Instant until) {
    if (atPoint) {
      target.put("targetImmediate", true);
    } else {
      target.put("targetTime", PG_TIME.format(until));
    }
  }

  private RestorePlan cloudNativePG(RestorePoint point, EnvironmentSpec environment, Instant now, Instant until) {
    RestorePoint.CloudNativePGBackup backup = point.cloudNativePG();
    List<String> warnings = new ArrayList<>();
    if (cluster == null) {
      throw ReleaseException.badInput("a CloudNativePG restore plan reads the cluster " + backup.cluster()
          + " from the API server; give a cluster connection");
    }
    ClusterAccess access = new ClusterAccess(cluster.get());
    access.requireResourceType(CloudNativePGBackups.GROUP, "v1", "clusters", CloudNativePGBackups.INSTALL_HINT);
    String ns = backup.namespace();
    GenericKubernetesResource backupObject = access.repeatable("read CloudNativePG Backup " + backup.backup()
        + " in namespace " + ns, () -> access.client().genericKubernetesResources(CloudNativePGBackups.BACKUPS)
        .inNamespace(ns).withName(backup.backup()).get());
    if (backupObject == null) {
      throw ReleaseException.refused("the CloudNativePG Backup " + backup.backup() + " of the restore point no"
          + " longer exists in namespace " + ns + " (deleted, or expired by the retention policy); this point cannot"
          + " be restored: choose an older point or restore from the object store by hand");
    }
    GenericKubernetesResource source = access.repeatable("read CloudNativePG Cluster " + backup.cluster()
        + " in namespace " + ns, () -> access.client().genericKubernetesResources(CloudNativePGBackups.CLUSTERS)
        .inNamespace(ns).withName(backup.cluster()).get());
    Map<String, Object> sourceSpec = source == null ? Map.of() : map(source.getAdditionalProperties().get("spec"));
    if (source == null) {
      warnings.add("the Cluster " + backup.cluster() + " is gone, so its instances, image and storage could not be"
          + " copied: add spec.storage.size (and what else it had) to the manifest before applying it");
    }
    String name = newClusterName(backup.cluster(), point.takenAt());
    Map<String, Object> spec = new LinkedHashMap<>();
    KEPT_SPEC.forEach(key -> {
      if (sourceSpec.containsKey(key)) {
        spec.put(key, sourceSpec.get(key));
      }
    });
    Map<String, Object> recovery = new LinkedHashMap<>();
    List<Map<String, Object>> externalClusters = new ArrayList<>();
    String method = backup.method() == null ? "barmanObjectStore" : backup.method();
    Map<String, Object> target = new LinkedHashMap<>();
    // At the point itself, recovery ends where the backup became consistent: a target time truncated to the second
    // could lie before that, and PostgreSQL refuses to stop recovery before a consistent state.
    boolean atPoint = !until.isAfter(point.takenAt());
    if (method.equals("plugin")) {
      // a plugin's backups are read back through the same plugin, as an external cluster
      Map<String, Object> parameters = pluginParameters(sourceSpec, backup.plugin());
      if (parameters.isEmpty()) {
        warnings.add("the Cluster " + backup.cluster() + " names no parameters for the plugin " + backup.plugin()
            + ": fill in externalClusters[0].plugin.parameters (barmanObjectName) before applying");
      }
      parameters.putIfAbsent("serverName", backup.cluster());
      externalClusters.add(Map.of("name", "origin", "plugin", Map.of("name", String.valueOf(backup.plugin()),
          "parameters", parameters)));
      recovery.put("source", "origin");
      if (backup.backupId() != null) {
        target.put("backupID", backup.backupId());
      }
      endAt(target, atPoint, until);
    } else {
      recovery.put("backup", Map.of("name", backup.backup()));
      if (method.equals("barmanObjectStore")) {
        // without a target the operator replays every archived WAL file, the failed release's migration included
        endAt(target, atPoint, until);
      }
    }
    if (!target.isEmpty()) {
      recovery.put("recoveryTarget", target);
    }
    Map<String, Object> initdb = map(map(sourceSpec.get("bootstrap")).get("initdb"));
    if (initdb.get("database") != null) {
      recovery.put("database", initdb.get("database"));
    }
    if (initdb.get("owner") != null) {
      recovery.put("owner", initdb.get("owner"));
    }
    // Odoo keeps the credentials it has: without this the operator would make a new secret, and Odoo could not log in
    // after the switch.
    Object secret = map(initdb.get("secret")).get("name");
    recovery.put("secret", Map.of("name", secret != null ? secret : backup.cluster() + "-app"));
    spec.put("bootstrap", Map.of("recovery", recovery));
    if (!externalClusters.isEmpty()) {
      spec.put("externalClusters", externalClusters);
    }
    if (sourceSpec.containsKey("backup") || sourceSpec.containsKey("plugins")) {
      warnings.add("the new cluster has no backup configuration: once it is healthy, give it one with its own"
          + " serverName (never " + backup.cluster() + "'s, whose archive holds the history being undone)");
    }
    Map<String, Object> manifest = new LinkedHashMap<>();
    manifest.put("apiVersion", CloudNativePGBackups.GROUP + "/v1");
    manifest.put("kind", "Cluster");
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("name", name);
    metadata.put("namespace", ns);
    metadata.put("labels", Map.of(RestorePoints.MANAGED_BY, "odoo-gitops"));
    metadata.put("annotations", Map.of("odoo-gitops.io/restore-point", point.ref().trailerValue()));
    manifest.put("metadata", metadata);
    manifest.put("spec", spec);

    List<RestorePlan.Step> steps = new ArrayList<>();
    stopWrites(environment, steps);
    steps.add(new RestorePlan.Step("Create the cluster " + name + " from the Backup " + backup.backup()
        + (target.containsKey("targetTime") ? ", recovering up to " + target.get("targetTime") : "")
        + " (the manifest below)", "kubectl apply -f " + name + ".yaml"));
    steps.add(new RestorePlan.Step("Wait until it is ready (its data is the restore point's)",
        "kubectl wait --for=condition=Ready cluster/" + name + " -n " + ns + " --timeout=6h"));
    filestore(point, null, steps);
    steps.add(new RestorePlan.Step("In ONE commit of the GitOps repository, switch " + environment.name()
        + " to the database service " + name + "-rw." + ns + ".svc (Odoo's db_host, where the environment sets it)"
        + " and put the previous image digest back", switchCommand(point, name + "-rw." + ns + ".svc")));
    steps.add(new RestorePlan.Step("Keep the cluster " + backup.cluster() + " until the data written since "
        + until + " has been exported or re-entered; then delete it", null));
    String yaml = yaml(manifest);
    return new RestorePlan(point.ref().trailerValue(), point.kind(), point.environment(), point.application(),
        point.digest(), until, now, Math.max(0, Duration.between(until, now).toSeconds()), name, steps, manifest,
        yaml, warnings);
  }

  private RestorePlan dump(RestorePoint point, EnvironmentSpec environment, Instant now) {
    RestorePoint.DumpDirectory dump = point.dump();
    Path dir = Path.of(dump.directory());
    if (!Files.isRegularFile(dir.resolve("toc.dat"), LinkOption.NOFOLLOW_LINKS)) {
      throw ReleaseException.refused("the dump of the restore point is gone: " + dir + " has no toc.dat; this point"
          + " cannot be restored, choose another one");
    }
    List<String> warnings = new ArrayList<>();
    // user@host:port/database, as the dump recorded it (never a password)
    String user = dump.source().substring(0, dump.source().lastIndexOf('@'));
    String server = dump.source().substring(dump.source().lastIndexOf('@') + 1, dump.source().lastIndexOf('/'));
    String host = server.substring(0, server.lastIndexOf(':'));
    String port = server.substring(server.lastIndexOf(':') + 1);
    String suffix = "_" + STAMP.format(point.takenAt());
    String database = dump.database().substring(0, Math.min(dump.database().length(), 63 - suffix.length()))
        + suffix;
    Optional<RestoreSpec.Database> configured = environment.dump().map(RestoreSpec.Dump::database);
    String password = configured.map(d -> d.passwordEnv() != null ? "PGPASSWORD=\"$" + d.passwordEnv() + "\" "
        : d.passwordFile() != null ? "PGPASSWORD=\"$(cat " + shell(d.passwordFile()) + ")\" " : "").orElse("");
    String connection = "--host=" + shell(host) + " --port=" + port + " --username=" + shell(user);
    List<RestorePlan.Step> steps = new ArrayList<>();
    stopWrites(environment, steps);
    steps.add(new RestorePlan.Step("Create the new, empty database " + database + " next to " + dump.database(),
        password + "createdb " + connection + " --template=template0 " + shell(database)));
    steps.add(new RestorePlan.Step("Restore the dump into it (" + dump.tocEntries() + " entries, "
        + dump.tableData() + " tables with data; as the owner of the original objects, or drop --no-owner lines"
        + " at your own risk)", password + "pg_restore --jobs=" + dump.jobs() + " --exit-on-error " + connection
        + " --dbname=" + shell(database) + " " + shell(dir.toString())));
    filestore(point, database, steps);
    steps.add(new RestorePlan.Step("In ONE commit of the GitOps repository, switch " + environment.name()
        + "'s Odoo to the database " + database + " (db_name, and dbfilter if set) and put the previous image"
        + " digest back", switchCommand(point, database)));
    steps.add(new RestorePlan.Step("Keep the database " + dump.database() + " until the data written since "
        + point.takenAt() + " has been exported or re-entered; then drop it", null));
    return new RestorePlan(point.ref().trailerValue(), point.kind(), point.environment(), point.application(),
        point.digest(), point.takenAt(), now, lossSeconds(point, now), database, steps, null, null, warnings);
  }

  /**
   * The rollback that writes the old digest and the switch to {@code database} in one commit, where the environment
   * names its database in {@code restore.switch}; without it, odoo-gitops writes the digest and the switch is added
   * to the same commit by hand.
   */
  private static String switchCommand(RestorePoint point, String database) {
    return "odoo-gitops rollback --env " + point.environment() + " --app " + point.application()
        + " --restored-database " + shell(database) + "\n# one commit with both, where restore.switch of "
        + point.environment() + " in odoo-gitops.yaml names the file and key of the database";
  }

  private static void stopWrites(EnvironmentSpec environment, List<RestorePlan.Step> steps) {
    String command = null;
    if (environment.cluster() != null && environment.cluster().workload() != null) {
      command = "kubectl scale " + environment.cluster().workload() + " -n " + environment.cluster().namespace()
          + " --replicas=0";
    }
    steps.add(new RestorePlan.Step("Stop Odoo in " + environment.name() + ": every write from now on is lost too,"
        + " and stopping ends the loss window", command));
  }

  /** @param database the new database's name for a dump, whose filestore Odoo looks up by database name */
  private static void filestore(RestorePoint point, String database, List<RestorePlan.Step> steps) {
    RestorePoint.FilestorePart files = point.filestore();
    if (files == null) {
      steps.add(new RestorePlan.Step("The restore point has no filestore: attachments added since "
          + point.takenAt() + " stay in the filestore, those deleted since are gone", null));
    } else if (files.kind().equals(RestorePoint.FilestorePart.VOLUME_SNAPSHOT)) {
      steps.add(new RestorePlan.Step("Restore the filestore: create a PVC from the VolumeSnapshot " + files.name()
          + " (spec.dataSource: {apiGroup: snapshot.storage.k8s.io, kind: VolumeSnapshot, name: " + files.name()
          + "}) in namespace " + files.namespace() + " and mount it in place of " + files.source(), null));
    } else {
      Path from = Path.of(files.source());
      String into = database == null ? files.source() : from.resolveSibling(database).toString();
      steps.add(new RestorePlan.Step("Restore the filestore" + (database == null ? "" : " (Odoo finds it under the"
          + " database's name)"), "rsync -a " + shell(files.name() + "/") + " " + shell(into + "/")));
    }
  }

  private static long lossSeconds(RestorePoint point, Instant now) {
    return Math.max(0, Duration.between(point.takenAt(), now).toSeconds());
  }

  static String newClusterName(String cluster, Instant takenAt) {
    String tail = "-restore-" + STAMP.format(takenAt);
    String head = cluster.substring(0, Math.min(cluster.length(), MAX_CLUSTER_NAME - tail.length()))
        .replaceAll("[-.]+$", "");
    return (head + tail).toLowerCase(Locale.ROOT);
  }

  private static Map<String, Object> pluginParameters(Map<String, Object> sourceSpec, String plugin) {
    Object plugins = sourceSpec.get("plugins");
    if (plugins instanceof List<?> list) {
      for (Object entry : list) {
        Map<String, Object> p = map(entry);
        if (plugin != null && plugin.equals(p.get("name"))) {
          return new LinkedHashMap<>(map(p.get("parameters")));
        }
      }
    }
    return new LinkedHashMap<>();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  /** Single-quoted for a POSIX shell, so a path with spaces or quotes stays one word. */
  static String shell(String word) {
    return word.matches("[A-Za-z0-9_./:=@%+-]+") ? word : "'" + word.replace("'", "'\\''") + "'";
  }

  private static String yaml(Map<String, Object> manifest) {
    try {
      return YAMLMapper.builder(YAMLFactory.builder().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
          .build()).build().writeValueAsString(manifest);
    } catch (JsonProcessingException e) {
      throw ReleaseException.infrastructure("cannot render the Cluster manifest: " + e.getOriginalMessage(), e);
    }
  }
}
