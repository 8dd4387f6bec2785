package io.odoogitops.jenkins.rollback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hudson.AbortException;
import hudson.util.StreamTaskListener;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.odoogitops.jenkins.gate.LandingPolicy;
import io.odoogitops.jenkins.repository.GitOpsAccess;
import io.odoogitops.jenkins.step.BuildIdentity;
import io.odoogitops.jenkins.verify.ClusterAccess;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * odooRollback's refusal of a RESTORE_REQUIRED release whose point is a CloudNativePG Backup: the plan is made with
 * the cluster the global configuration names (server and token, as odooVerify reaches it), here the fabric8 mock
 * server in CRUD mode with the CloudNativePG resources; where it cannot be made, the failure says why and how to
 * print it elsewhere. No Jenkins needed.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class RollbackCloudNativePGPlanTest {

  private static final String TOKEN = "rollback-token-s3cret-value";
  private static final String GROUP = "postgresql.cnpg.io";

  KubernetesMockServer server;
  KubernetesClient client;

  @TempDir
  Path tmp;

  private RestoreRequiredRelease release;

  @BeforeEach
  void cloudNativePGInstalled() throws Exception {
    release = RestoreRequiredRelease.cloudNativePG(tmp);
    server.expectCustomResource(crd("Backup", "backups"));
    server.expectCustomResource(crd("Cluster", "clusters"));
    GenericKubernetesResource cluster = resource("Cluster", "odoo-db");
    cluster.setAdditionalProperty("spec", Map.of("instances", 3, "imageName",
        "ghcr.io/cloudnative-pg/postgresql:16.4", "storage", Map.of("size", "50Gi"),
        "bootstrap", Map.of("initdb", Map.of("database", "odoo", "owner", "odoo"))));
    client.genericKubernetesResources(type("Cluster", "clusters")).inNamespace("shop").resource(cluster).create();
  }

  private static ResourceDefinitionContext type(String kind, String plural) {
    return new ResourceDefinitionContext.Builder().withGroup(GROUP).withVersion("v1").withKind(kind)
        .withPlural(plural).withNamespaced(true).build();
  }

  private static CustomResourceDefinitionContext crd(String kind, String plural) {
    return new CustomResourceDefinitionContext.Builder().withGroup(GROUP).withVersion("v1").withKind(kind)
        .withPlural(plural).withScope("Namespaced").withStatusSubresource(false).build();
  }

  private static GenericKubernetesResource resource(String kind, String name) {
    return new GenericKubernetesResourceBuilder().withApiVersion(GROUP + "/v1").withKind(kind)
        .withNewMetadata().withName(name).withNamespace("shop").endMetadata().build();
  }

  private void rollback(ClusterAccess cluster) throws Exception {
    OdooRollbackStep step = new OdooRollbackStep("production", "odoo");
    GitOpsAccess access = new GitOpsAccess(release.url, "main", null, null, null, null, null, false,
        "Release Bot", "release@example.com", tmp.resolve("agent-cache").toString());
    new OdooRollbackStep.RollbackCallable(access, new StreamTaskListener(new ByteArrayOutputStream(),
        StandardCharsets.UTF_8), step, new BuildIdentity("oncall", null),
        new LandingPolicy("production", "odoo", null, null, null, null, null, null, null, List.of()), cluster).call();
  }

  @Test
  void thePlanRecoversANewClusterFromTheBackupReadThroughTheConfiguredCluster() throws Exception {
    client.genericKubernetesResources(type("Backup", "backups")).inNamespace("shop")
        .resource(resource("Backup", RestoreRequiredRelease.BACKUP)).create();
    String before = release.head();
    assertThatThrownBy(() -> rollback(new ClusterAccess(server.url("/"), TOKEN, null)))
        .isInstanceOfSatisfying(AbortException.class, e -> assertThat(e.getMessage())
            .startsWith("refused: rollback of odoo in production refused: ")
            .contains("RESTORE PLAN for odoo in production back to the", "DATA LOSS",
                "kubectl scale deployment/odoo -n shop --replicas=0",
                "kubectl apply -f odoo-db-restore-20261130020000.yaml", "recovery:",
                "name: \"" + RestoreRequiredRelease.BACKUP + "\"", "ghcr.io/cloudnative-pg/postgresql:16.4")
            .doesNotContain(TOKEN, "cannot be made here"));
    assertThat(release.head()).isEqualTo(before);
  }

  @Test
  void aBackupGoneFromTheClusterLeavesTheCommandThatPrintsThePlanElsewhere() {
    assertThatThrownBy(() -> rollback(new ClusterAccess(server.url("/"), TOKEN, null)))
        .isInstanceOf(AbortException.class)
        .hasMessageContaining("was RESTORE_REQUIRED")
        .hasMessageContaining("the restore plan cannot be made here: the CloudNativePG Backup "
            + RestoreRequiredRelease.BACKUP + " of the restore point no longer exists in namespace shop")
        .hasMessageContaining("print it where it can: git show ");
  }

  @Test
  void withoutAUsableClusterSettingTheRefusalStillArrivesWithHowToPrintThePlan() {
    assertThatThrownBy(() -> rollback(null))
        .isInstanceOf(AbortException.class)
        .hasMessageContaining("was RESTORE_REQUIRED")
        .hasMessageContaining("the restore plan cannot be made here: a CloudNativePG restore plan reads the cluster"
            + " odoo-db from the API server; give a cluster connection")
        .hasMessageContaining("odoo-gitops restore-point plan --env production --app odoo");
  }
}
