package io.odoogitops.cli;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** What the CLI cluster tests share: Argo CD Applications in the fabric8 mock server and a kubeconfig for it. */
final class MockCluster {

  static final CustomResourceDefinitionContext APPLICATIONS = new CustomResourceDefinitionContext.Builder()
      .withGroup("argoproj.io").withVersion("v1alpha1").withKind("Application").withPlural("applications")
      .withScope("Namespaced").build();

  private MockCluster() {}

  /** Creates Argo CD Application argocd/{@code name} with the given health at the given revision. */
  static void argoApplication(KubernetesClient client, String name, String health, String revision) {
    GenericKubernetesResource app = new GenericKubernetesResourceBuilder()
        .withApiVersion("argoproj.io/v1alpha1").withKind("Application")
        .withNewMetadata().withName(name).withNamespace("argocd").endMetadata().build();
    app.setAdditionalProperty("status", argoStatus(health, revision));
    client.genericKubernetesResources(APPLICATIONS).inNamespace("argocd").resource(app).create();
  }

  static Map<String, Object> argoStatus(String health, String revision) {
    return Map.of("sync", Map.of("status", "Synced", "revision", revision), "health", Map.of("status", health));
  }

  /** A kubeconfig pointing at the mock server with a bearer token. */
  static Path kubeconfig(Path dir, String serverUrl, String token) throws IOException {
    return Files.writeString(dir.resolve("kubeconfig"), """
        apiVersion: v1
        kind: Config
        clusters:
        - name: mock
          cluster: { server: "%s" }
        users:
        - name: ci
          user: { token: %s }
        contexts:
        - name: mock
          context: { cluster: mock, user: ci }
        current-context: mock
        """.formatted(serverUrl, token));
  }
}
