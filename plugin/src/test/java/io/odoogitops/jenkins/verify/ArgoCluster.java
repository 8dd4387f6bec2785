package io.odoogitops.jenkins.verify;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.odoogitops.jenkins.testing.GitOpsRepositoryFixture;
import java.io.IOException;
import java.util.Map;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * Plays production's cluster on the fabric8 mock server in CRUD mode: the Argo CD Application {@code shop-production}
 * and the Deployment {@code shop/odoo}, already in the state a test wants the verifier to find.
 */
final class ArgoCluster {

  /** Keys of the production block, indented as GitOpsRepositoryFixture wants them. */
  static final String PRODUCTION = """
          cluster:
            namespace: shop
            workload: deployment/odoo
            argo: { application: shop-production, namespace: argocd }
            timeout: PT20S
            pollInterval: PT0.05S
      """;

  private static final ResourceDefinitionContext APPLICATIONS = new ResourceDefinitionContext.Builder()
      .withGroup("argoproj.io").withVersion("v1alpha1").withKind("Application").withPlural("applications")
      .withNamespaced(true).build();

  private final KubernetesClient client;

  /** Makes the API server serve Argo CD Applications, as installing its CRD would. */
  ArgoCluster(KubernetesMockServer server, KubernetesClient client) {
    this.client = client;
    server.expectCustomResource(new CustomResourceDefinitionContext.Builder().withGroup("argoproj.io")
        .withVersion("v1alpha1").withKind("Application").withPlural("applications").withScope("Namespaced")
        .withStatusSubresource(false).build());
  }

  /** The commit at the head of the fixture's branch. */
  static String head(GitOpsRepositoryFixture repo) throws IOException {
    try (Repository git = new FileRepositoryBuilder().setGitDir(repo.bare.toFile()).build()) {
      return git.resolve(Constants.R_HEADS + "main").name();
    }
  }

  /** A Deployment of two replicas, rolled out on {@code image}. */
  void deployment(String image) {
    Deployment created = client.apps().deployments().inNamespace("shop").resource(new DeploymentBuilder()
        .withNewMetadata().withName("odoo").withNamespace("shop").endMetadata()
        .withNewSpec().withReplicas(2)
        .withNewSelector().addToMatchLabels("app", "odoo").endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", "odoo").endMetadata()
        .withNewSpec().addNewContainer().withName("odoo").withImage(image).endContainer().endSpec().endTemplate()
        .endSpec().build()).create();
    client.apps().deployments().inNamespace("shop").withName("odoo").edit(d -> new DeploymentBuilder(d)
        .editOrNewStatus().withObservedGeneration(created.getMetadata().getGeneration()).withReplicas(2)
        .withUpdatedReplicas(2).withAvailableReplicas(2).withReadyReplicas(2).endStatus().build());
  }

  /** The Argo CD Application of production, in the given state at {@code revision}. */
  void argoApplication(String revision, String sync, String health) {
    GenericKubernetesResource app = new GenericKubernetesResourceBuilder()
        .withApiVersion("argoproj.io/v1alpha1").withKind("Application")
        .withNewMetadata().withName("shop-production").withNamespace("argocd").endMetadata()
        .build();
    app.setAdditionalProperty("spec", Map.of("project", "default"));
    app.setAdditionalProperty("status", Map.of("sync", Map.of("status", sync, "revision", revision),
        "health", Map.of("status", health)));
    client.genericKubernetesResources(APPLICATIONS).inNamespace("argocd").resource(app).create();
  }
}
