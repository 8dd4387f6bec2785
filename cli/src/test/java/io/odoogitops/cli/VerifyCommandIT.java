package io.odoogitops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code odoo-gitops verify} end to end against the fabric8 mock API server, through a kubeconfig or a token. */
@EnableKubernetesMockClient(crud = true, https = false)
class VerifyCommandIT {

  private static final String COMMIT = "2222222222222222222222222222222222222222";
  private static final String DIGEST = "sha256:" + "b".repeat(64);
  private static final String TOKEN = "cli-test-token-do-not-print";
  private static final CustomResourceDefinitionContext APPLICATIONS = new CustomResourceDefinitionContext.Builder()
      .withGroup("argoproj.io").withVersion("v1alpha1").withKind("Application").withPlural("applications")
      .withScope("Namespaced").build();

  KubernetesMockServer server;
  KubernetesClient client;

  @TempDir
  Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void cluster() {
    server.expectCustomResource(APPLICATIONS);
    client.apps().deployments().resource(new DeploymentBuilder()
        .withNewMetadata().withName("odoo").withNamespace("shop").endMetadata()
        .withNewSpec().withReplicas(2).withNewSelector().addToMatchLabels("app", "odoo").endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", "odoo").endMetadata().withNewSpec()
        .addNewContainer().withName("odoo").withImage("registry.example.com/shop/odoo@" + DIGEST).endContainer()
        .endSpec().endTemplate().endSpec()
        .withNewStatus().withObservedGeneration(1L).withReplicas(2).withUpdatedReplicas(2).withAvailableReplicas(2)
        .endStatus().build()).create();
  }

  private void argoApplication(String health) {
    GenericKubernetesResource app = new GenericKubernetesResourceBuilder()
        .withApiVersion("argoproj.io/v1alpha1").withKind("Application")
        .withNewMetadata().withName("shop-production").withNamespace("argocd").endMetadata().build();
    app.setAdditionalProperty("status", Map.of("sync", Map.of("status", "Synced", "revision", COMMIT),
        "health", Map.of("status", health)));
    client.genericKubernetesResources(APPLICATIONS).inNamespace("argocd").resource(app).create();
  }

  private Path kubeconfig() throws Exception {
    return MockCluster.kubeconfig(dir, server.url("/"), TOKEN);
  }

  private int run(String... args) {
    CommandLine cli = Main.commandLine(Map.of());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  private List<String> verifyArgs(String... more) {
    List<String> args = new java.util.ArrayList<>(List.of("verify", "--env", "production", "--app", "shop",
        "--commit", COMMIT, "--digest", DIGEST, "-n", "shop", "--workload", "deployment/odoo",
        "--argo-application", "shop-production", "--timeout", "PT2S", "--poll-interval", "PT0.05S"));
    args.addAll(List.of(more));
    return args;
  }

  @Test
  void verifiedReleaseExitsZeroWithAJsonReport() throws Exception {
    argoApplication("Healthy");

    int exit = run(verifyArgs("--kubeconfig", kubeconfig().toString(), "-o", "json").toArray(String[]::new));

    assertThat(exit).as(err.toString()).isZero();
    assertThat(out.toString()).contains("\"outcome\" : \"VERIFIED\"").contains("\"commit\" : \"" + COMMIT + "\"");
    assertThat(err.toString()).contains("Synced/Healthy at " + COMMIT).doesNotContain(TOKEN);
  }

  @Test
  void degradedReleaseExitsOneWithTheReport() throws Exception {
    argoApplication("Degraded");
    Path tokenFile = dir.resolve("token");
    Files.writeString(tokenFile, TOKEN + "\n");

    int exit = run(verifyArgs("--server", server.url("/"), "--token-file", tokenFile.toString())
        .toArray(String[]::new));

    assertThat(exit).isEqualTo(1);
    assertThat(out.toString()).startsWith("FAILED (CONTROLLER_FAILED) shop in production");
    assertThat(out.toString() + err).doesNotContain(TOKEN);
  }

  @Test
  void twoControllersOrAMissingTokenAreBadInput() {
    int both = run(verifyArgs("--flux-kustomization", "shop").toArray(String[]::new));
    assertThat(both).isEqualTo(2);

    int noToken = run(verifyArgs("--server", server.url("/"), "--token-env", "ODOO_GITOPS_TEST_UNSET_VARIABLE")
        .toArray(String[]::new));
    assertThat(noToken).isEqualTo(2);
    assertThat(err.toString()).contains("--server needs a token");
  }
}
