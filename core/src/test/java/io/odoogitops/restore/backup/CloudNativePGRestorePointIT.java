package io.odoogitops.restore.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.odoogitops.ImageDigest;
import io.odoogitops.ReleaseException;
import io.odoogitops.config.ConfigLoader;
import io.odoogitops.config.EnvironmentSpec;
import io.odoogitops.restore.RestorePlan;
import io.odoogitops.restore.RestorePoint;
import io.odoogitops.restore.RestorePointEvidence;
import io.odoogitops.restore.RestorePointKind;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Restore points as CloudNativePG Backups against the fabric8 mock API server in CRUD mode; the test thread plays
 * the operator by writing the Backup's status while the restore point waits for it.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class CloudNativePGRestorePointIT {

  static final String NAMESPACE = "shop";
  static final ImageDigest DIGEST = new ImageDigest("sha256:" + "1a2b3c4d5e6f".repeat(5) + "abcd");

  KubernetesMockServer server;
  KubernetesClient client;

  private final List<String> progress = new CopyOnWriteArrayList<>();

  static EnvironmentSpec environment(String timeout, String extra) {
    return ConfigLoader.load(yaml(timeout, extra).getBytes(StandardCharsets.UTF_8), "odoo-gitops.yaml")
        .environment("production");
  }

  static String yaml(String timeout, String extra) {
    String yaml = """
        applications:
          shop: { image: registry.example.com/acme/odoo }
        environments:
          production:
            path: envs/production
            layout: kustomize
            restorePoint: whenRestoreRequired
            cluster:
              namespace: shop
              workload: deployment/odoo
              argo: { application: shop-production }
              cloudNativePG: { cluster: odoo-db, method: barmanObjectStore, timeout: %s }
        """.formatted(timeout) + extra;
    return yaml;
  }

  private void cnpgInstalled() {
    server.expectCustomResource(crd(CloudNativePGBackups.BACKUPS));
    server.expectCustomResource(crd(CloudNativePGBackups.CLUSTERS));
    GenericKubernetesResource cluster = new GenericKubernetesResourceBuilder()
        .withApiVersion("postgresql.cnpg.io/v1").withKind("Cluster")
        .withNewMetadata().withName("odoo-db").withNamespace(NAMESPACE).endMetadata().build();
    cluster.setAdditionalProperty("spec", Map.of("instances", 3, "imageName",
        "ghcr.io/cloudnative-pg/postgresql:16.4", "storage", Map.of("size", "50Gi"),
        "bootstrap", Map.of("initdb", Map.of("database", "odoo", "owner", "odoo")),
        "backup", Map.of("barmanObjectStore", Map.of("destinationPath", "s3://backups/odoo-db"))));
    client.genericKubernetesResources(CloudNativePGBackups.CLUSTERS).inNamespace(NAMESPACE).resource(cluster)
        .create();
  }

  static CustomResourceDefinitionContext crd(ResourceDefinitionContext type) {
    return new CustomResourceDefinitionContext.Builder().withGroup(type.getGroup()).withVersion(type.getVersion())
        .withKind(type.getKind()).withPlural(type.getPlural()).withScope("Namespaced")
        .withStatusSubresource(false).build();
  }

  private RestorePoints restorePoints() {
    return RestorePoints.builder().cluster(() -> client).pollInterval(Duration.ofMillis(30)).progress(progress::add)
        .build();
  }

  private CompletableFuture<RestorePoint> takeInBackground(EnvironmentSpec env) {
    return CompletableFuture.supplyAsync(() -> restorePoints().take(env, "shop", DIGEST));
  }

  /** The Backup the restore point created, once it exists. */
  private GenericKubernetesResource awaitBackup() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      List<GenericKubernetesResource> items = client.genericKubernetesResources(CloudNativePGBackups.BACKUPS)
          .inNamespace(NAMESPACE).list().getItems();
      if (!items.isEmpty()) {
        return items.get(0);
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no Backup was created; progress: " + progress);
      }
      Thread.sleep(10);
    }
  }

  private void awaitProgress(String part) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (progress.stream().noneMatch(line -> line.contains(part))) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("never reported '" + part + "'; reported " + progress);
      }
      Thread.sleep(10);
    }
  }

  private void operatorWrites(String name, Map<String, Object> status) {
    client.genericKubernetesResources(CloudNativePGBackups.BACKUPS).inNamespace(NAMESPACE).withName(name)
        .edit(b -> {
          b.setAdditionalProperty("status", status);
          return b;
        });
  }

  @Test
  void backupIsRequestedAwaitedAndRecordedWithItsTimesAndLsns() throws Exception {
    cnpgInstalled();
    var running = takeInBackground(environment("PT30S", ""));

    GenericKubernetesResource requested = awaitBackup();
    String name = requested.getMetadata().getName();
    assertThat(name).startsWith("production-shop-1a2b3c4d5e6f-").matches("[a-z0-9-]{1,63}");
    @SuppressWarnings("unchecked")
    Map<String, Object> spec = (Map<String, Object>) requested.getAdditionalProperties().get("spec");
    assertThat(spec).containsEntry("cluster", Map.of("name", "odoo-db")).containsEntry("method", "barmanObjectStore");
    assertThat(requested.getMetadata().getLabels()).containsEntry("odoo-gitops.io/environment", "production")
        .containsEntry("odoo-gitops.io/application", "shop");
    assertThat(requested.getMetadata().getAnnotations()).containsEntry("odoo-gitops.io/image-digest", DIGEST.value());

    awaitProgress("requested, not picked up");
    operatorWrites(name, Map.of("phase", "running", "startedAt", "2026-11-30T02:15:00Z"));
    awaitProgress(": running");
    assertThat(running).isNotDone();
    Map<String, Object> completed = new HashMap<>(Map.of("phase", "completed", "method", "barmanObjectStore",
        "backupId", "20261130T021500", "beginLSN", "0/5000028", "endLSN", "0/50001F8",
        "startedAt", "2026-11-30T02:15:00Z", "stoppedAt", "2026-11-30T02:15:07Z"));
    operatorWrites(name, completed);

    RestorePoint point = running.get(10, TimeUnit.SECONDS);
    assertThat(point.kind()).isEqualTo(RestorePointKind.CLOUDNATIVEPG);
    assertThat(point.id()).isEqualTo(name);
    assertThat(point.takenAt()).isEqualTo(Instant.parse("2026-11-30T02:15:07Z"));
    assertThat(point.location()).isEqualTo("shop/" + name);
    assertThat(point.cloudNativePG().backupId()).isEqualTo("20261130T021500");
    assertThat(point.cloudNativePG().beginLsn()).isEqualTo("0/5000028");
    assertThat(point.cloudNativePG().endLsn()).isEqualTo("0/50001F8");
    assertThat(point.trailer()).isEqualTo("Restore-Point: cloudnativepg " + name + " 2026-11-30T02:15:07Z");
    assertThat(RestorePointEvidence.fromJson(RestorePointEvidence.toJson(point), "evidence.json")).isEqualTo(point);
  }

  @Test
  void failedBackupShowsTheOperatorsReason() throws Exception {
    cnpgInstalled();
    var running = takeInBackground(environment("PT30S", ""));
    String name = awaitBackup().getMetadata().getName();
    operatorWrites(name, Map.of("phase", "failed", "error",
        "can't execute backup: barman-cloud-backup exited: ERROR: Barman cloud backup exception:\nbucket not found"));

    assertThatThrownBy(() -> join(running))
        .isInstanceOfSatisfying(ReleaseException.class, e -> {
          assertThat(e.kind()).isEqualTo(ReleaseException.Kind.INFRASTRUCTURE);
          assertThat(e.getMessage()).contains("CloudNativePG Backup " + name + " of odoo-db in namespace shop failed")
              .contains("Barman cloud backup exception: bucket not found")
              .contains("no restore point was recorded");
        });
  }

  @Test
  void walArchivingFailingIsAFailureNotAWait() throws Exception {
    cnpgInstalled();
    var running = takeInBackground(environment("PT30S", ""));
    String name = awaitBackup().getMetadata().getName();
    operatorWrites(name, Map.of("phase", "walArchivingFailing"));

    assertThatThrownBy(() -> join(running)).isInstanceOf(ReleaseException.class)
        .hasMessageContaining("WAL archiving is failing");
  }

  @Test
  void backupNeverCompletingTimesOutNamingTheLastPhase() throws Exception {
    cnpgInstalled();
    var running = takeInBackground(environment("PT1S", ""));
    String name = awaitBackup().getMetadata().getName();
    operatorWrites(name, Map.of("phase", "running"));

    assertThatThrownBy(() -> join(running))
        .isInstanceOfSatisfying(ReleaseException.class, e -> {
          assertThat(e.kind()).isEqualTo(ReleaseException.Kind.INFRASTRUCTURE);
          assertThat(e.getMessage()).contains("did not complete within PT1S").contains("last phase: running")
              .contains("left in place");
        });
    assertThat(client.genericKubernetesResources(CloudNativePGBackups.BACKUPS).inNamespace(NAMESPACE)
        .withName(name).get()).as("the Backup may still complete; it is not deleted").isNotNull();
  }

  @Test
  void missingCrdSaysCloudNativePGIsNotInstalled() {
    assertThatThrownBy(() -> restorePoints().take(environment("PT30S", ""), "shop", DIGEST))
        .isInstanceOfSatisfying(ReleaseException.class, e -> {
          assertThat(e.kind()).isEqualTo(ReleaseException.Kind.BAD_INPUT);
          assertThat(e.getMessage()).contains("does not serve backups.postgresql.cnpg.io/v1")
              .contains("CloudNativePG is not installed");
        });
  }

  @Test
  void missingClusterIsNamed() {
    server.expectCustomResource(crd(CloudNativePGBackups.BACKUPS));
    server.expectCustomResource(crd(CloudNativePGBackups.CLUSTERS));
    assertThatThrownBy(() -> restorePoints().take(environment("PT30S", ""), "shop", DIGEST))
        .isInstanceOf(ReleaseException.class)
        .hasMessageContaining("there is no CloudNativePG Cluster odoo-db in namespace shop");
  }

  @Test
  void forbiddenCreateIs403BadInputNamingTheBackup() {
    cnpgInstalled();
    server.expect().post().withPath("/apis/postgresql.cnpg.io/v1/namespaces/shop/backups")
        .andReturn(403, "Forbidden").always();

    assertThatThrownBy(() -> restorePoints().take(environment("PT30S", ""), "shop", DIGEST))
        .isInstanceOfSatisfying(ReleaseException.class, e -> {
          assertThat(e.kind()).isEqualTo(ReleaseException.Kind.BAD_INPUT);
          assertThat(e.getMessage()).contains("cannot create CloudNativePG Backup production-shop-")
              .contains("403 Forbidden").contains("create for restore points").contains("RBAC");
        });
  }

  @Test
  void filestoreVolumeSnapshotIsTakenAfterTheBackupInTheSamePoint() throws Exception {
    cnpgInstalled();
    server.expectCustomResource(crd(VolumeSnapshots.SNAPSHOTS));
    var running = takeInBackground(environment("PT30S", """
            restore:
              filestore:
                volumeSnapshot: { pvc: odoo-filestore, snapshotClass: csi-snapclass }
        """));
    String name = awaitBackup().getMetadata().getName();
    assertThat(client.genericKubernetesResources(VolumeSnapshots.SNAPSHOTS).inNamespace(NAMESPACE).list()
        .getItems()).as("the filestore waits for the database").isEmpty();
    operatorWrites(name, Map.of("phase", "completed", "stoppedAt", "2026-11-30T02:15:07Z"));

    GenericKubernetesResource snapshot = awaitSnapshot(name + "-fs");
    assertThat(snapshot.getAdditionalProperties().get("spec")).isEqualTo(Map.of("volumeSnapshotClassName",
        "csi-snapclass", "source", Map.of("persistentVolumeClaimName", "odoo-filestore")));
    client.genericKubernetesResources(VolumeSnapshots.SNAPSHOTS).inNamespace(NAMESPACE).withName(name + "-fs")
        .edit(s -> {
          s.setAdditionalProperty("status", Map.of("readyToUse", true, "creationTime", "2026-11-30T02:15:09Z"));
          return s;
        });

    RestorePoint point = running.get(10, TimeUnit.SECONDS);
    assertThat(point.filestore().kind()).isEqualTo("volumeSnapshot");
    assertThat(point.filestore().name()).isEqualTo(name + "-fs");
    assertThat(point.filestore().takenAt()).isEqualTo(Instant.parse("2026-11-30T02:15:09Z"));
  }

  private GenericKubernetesResource awaitSnapshot(String name) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      GenericKubernetesResource s = client.genericKubernetesResources(VolumeSnapshots.SNAPSHOTS)
          .inNamespace(NAMESPACE).withName(name).get();
      if (s != null) {
        return s;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no VolumeSnapshot " + name + "; progress: " + progress);
      }
      Thread.sleep(10);
    }
  }

  /** A point whose Backup the operator completed at 02:15:07 (barmanObjectStore). */
  private RestorePoint completedPoint() throws Exception {
    var running = takeInBackground(environment("PT30S", ""));
    String name = awaitBackup().getMetadata().getName();
    operatorWrites(name, Map.of("phase", "completed", "backupId", "20261130T021500",
        "startedAt", "2026-11-30T02:15:00Z", "stoppedAt", "2026-11-30T02:15:07Z"));
    return running.get(10, TimeUnit.SECONDS);
  }

  static <T> T join(CompletableFuture<T> future) {
    try {
      return future.get(15, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new AssertionError(e.getCause());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void planRecoversANewClusterFromTheBackupUpToThePoint() throws Exception {
    cnpgInstalled();
    RestorePoint point = completedPoint();
    String name = point.id();

    java.time.Clock later = java.time.Clock.fixed(Instant.parse("2026-11-30T04:45:07Z"), java.time.ZoneOffset.UTC);
    RestorePlan plan = new RestorePlanner(later, () -> client).plan(point, environment("PT30S", ""));

    assertThat(plan.target()).isEqualTo("odoo-db-restore-20261130021507");
    assertThat(plan.dataLostFrom()).isEqualTo(Instant.parse("2026-11-30T02:15:07Z"));
    assertThat(plan.lossWindowSeconds()).isEqualTo(9000);
    Map<String, Object> manifest = plan.cluster();
    assertThat(manifest).containsEntry("apiVersion", "postgresql.cnpg.io/v1").containsEntry("kind", "Cluster");
    @SuppressWarnings("unchecked")
    Map<String, Object> spec = (Map<String, Object>) manifest.get("spec");
    assertThat(spec).containsEntry("instances", 3).containsEntry("imageName", "ghcr.io/cloudnative-pg/postgresql:16.4")
        .containsEntry("storage", Map.of("size", "50Gi")).doesNotContainKey("backup");
    assertThat(spec.get("bootstrap")).isEqualTo(Map.of("recovery", Map.of(
        "backup", Map.of("name", name),
        "recoveryTarget", Map.of("targetImmediate", true),
        "database", "odoo", "owner", "odoo", "secret", Map.of("name", "odoo-db-app"))));
    assertThat(plan.warnings()).anyMatch(w -> w.contains("no backup configuration"));
    assertThat(plan.clusterYaml()).contains("name: \"" + name + "\"").contains("targetImmediate: true");
    assertThat(plan.humanText()).contains("DATA LOSS: everything written to the database from 2026-11-30T02:15:07Z"
            + " to now (2h 30m")
        .contains("kubectl scale deployment/odoo -n shop --replicas=0")
        .contains("kubectl apply -f odoo-db-restore-20261130021507.yaml")
        .contains("odoo-db-restore-20261130021507-rw.shop.svc");

    RestorePlan later2 = new RestorePlanner(later, () -> client).plan(point, environment("PT30S", ""),
        java.util.Optional.of(Instant.parse("2026-11-30T03:00:00Z")));
    assertThat(later2.dataLostFrom()).isEqualTo(Instant.parse("2026-11-30T03:00:00Z"));
    assertThat(later2.lossWindowSeconds()).isEqualTo(6307);
    assertThat(later2.clusterYaml()).contains("targetTime: \"2026-11-30 03:00:00.000000+00:00\"");
    assertThatThrownBy(() -> new RestorePlanner(later, () -> client).plan(point, environment("PT30S", ""),
        java.util.Optional.of(Instant.parse("2026-11-30T02:00:00Z"))))
        .hasMessageContaining("must be between the point's time 2026-11-30T02:15:07Z and now");

    // the manifest is one the API server takes as it is
    GenericKubernetesResource applied = client.genericKubernetesResources(CloudNativePGBackups.CLUSTERS)
        .inNamespace(NAMESPACE).resource(io.fabric8.kubernetes.client.utils.Serialization.unmarshal(
            plan.clusterYaml(), GenericKubernetesResource.class)).create();
    assertThat(applied.getMetadata().getName()).isEqualTo(plan.target());
  }

  @Test
  void planOfAPluginBackupReadsItBackThroughThePlugin() {
    cnpgInstalled();
    client.genericKubernetesResources(CloudNativePGBackups.CLUSTERS).inNamespace(NAMESPACE).withName("odoo-db")
        .edit(c -> {
          @SuppressWarnings("unchecked")
          Map<String, Object> spec = new HashMap<>((Map<String, Object>) c.getAdditionalProperties().get("spec"));
          spec.put("plugins", List.of(Map.of("name", "barman-cloud.cloudnative-pg.io", "isWALArchiver", true,
              "parameters", Map.of("barmanObjectName", "odoo-store"))));
          c.setAdditionalProperty("spec", spec);
          return c;
        });
    String backupName = "production-shop-1a2b3c4d5e6f-20261130t021500z";
    GenericKubernetesResource backup = new GenericKubernetesResourceBuilder()
        .withApiVersion("postgresql.cnpg.io/v1").withKind("Backup")
        .withNewMetadata().withName(backupName).withNamespace(NAMESPACE).endMetadata().build();
    client.genericKubernetesResources(CloudNativePGBackups.BACKUPS).inNamespace(NAMESPACE).resource(backup).create();
    RestorePoint point = new RestorePoint(1, RestorePointKind.CLOUDNATIVEPG, backupName,
        Instant.parse("2026-11-30T02:15:07Z"), "production", "shop", DIGEST, "shop/" + backupName,
        new RestorePoint.CloudNativePGBackup(NAMESPACE, "odoo-db", backupName, "plugin", "20261130T021500",
            null, null, null, Instant.parse("2026-11-30T02:15:07Z"), "barman-cloud.cloudnative-pg.io"), null, null);

    RestorePlan plan = new RestorePlanner(java.time.Clock.systemUTC(), () -> client)
        .plan(point, environment("PT30S", ""));

    @SuppressWarnings("unchecked")
    Map<String, Object> spec = (Map<String, Object>) plan.cluster().get("spec");
    assertThat(spec.get("externalClusters")).isEqualTo(List.of(Map.of("name", "origin", "plugin", Map.of(
        "name", "barman-cloud.cloudnative-pg.io",
        "parameters", Map.of("barmanObjectName", "odoo-store", "serverName", "odoo-db")))));
    assertThat(spec.get("bootstrap")).isEqualTo(Map.of("recovery", Map.of("source", "origin",
        "recoveryTarget", Map.of("backupID", "20261130T021500", "targetImmediate", true),
        "database", "odoo", "owner", "odoo", "secret", Map.of("name", "odoo-db-app"))));
    assertThat(spec).doesNotContainKey("plugins");
  }

  @Test
  void planOfADeletedBackupIsRefused() {
    cnpgInstalled();
    RestorePoint point = new RestorePoint(1, RestorePointKind.CLOUDNATIVEPG, "gone-backup",
        Instant.parse("2026-11-30T02:15:07Z"), "production", "shop", DIGEST, "shop/gone-backup",
        new RestorePoint.CloudNativePGBackup(NAMESPACE, "odoo-db", "gone-backup", "barmanObjectStore", null,
            null, null, null, null, null), null, null);

    assertThatThrownBy(() -> new RestorePlanner(java.time.Clock.systemUTC(), () -> client)
        .plan(point, environment("PT30S", "")))
        .isInstanceOfSatisfying(ReleaseException.class, e -> {
          assertThat(e.kind()).isEqualTo(ReleaseException.Kind.REFUSED);
          assertThat(e.getMessage()).contains("gone-backup").contains("no longer exists");
        });
  }

  @Test
  void theGateTakesThisBackupOnlyForItsDigestAndWhenTakenAfterTheDryRun() throws Exception {
    cnpgInstalled();
    RestorePoint point = completedPoint();
    GateDecisions gate = new GateDecisions(yaml("PT30S", ""));
    Instant at = Instant.parse("2026-11-30T03:00:00Z");
    ImageDigest other = new ImageDigest("sha256:" + "0f".repeat(32));

    io.odoogitops.policy.Decision none = gate.decide(DIGEST, Instant.parse("2026-11-30T02:00:00Z"), null, at);
    assertThat(none.allowed()).isFalse();
    assertThat(GateDecisions.restorePointRule(none).reason()).contains("no restore point");

    io.odoogitops.policy.Decision stale = gate.decide(DIGEST, Instant.parse("2026-11-30T02:20:00Z"), point, at);
    assertThat(stale.allowed()).isFalse();
    assertThat(GateDecisions.restorePointRule(stale).reason()).contains("before the last dry-run");

    io.odoogitops.policy.Decision otherDigest = gate.decide(other, Instant.parse("2026-11-30T02:00:00Z"), point, at);
    assertThat(otherDigest.allowed()).isFalse();
    assertThat(GateDecisions.restorePointRule(otherDigest).reason()).contains("is bound to");

    io.odoogitops.policy.Decision fresh = gate.decide(DIGEST, Instant.parse("2026-11-30T02:10:00Z"), point, at);
    assertThat(fresh.allowed()).isTrue();
    assertThat(fresh.trailers()).extracting(io.odoogitops.policy.Trailer::toString).contains(point.trailer(),
        "Rollback-Safety: restore-required");
  }
}
