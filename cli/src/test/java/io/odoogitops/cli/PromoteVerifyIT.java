package io.odoogitops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.odoogitops.gitops.RepositorySeed;
import io.odoogitops.testing.GitDaemon;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code promote --verify --auto-rollback}: the promotion commit lands on a real git server on loopback, the
 * (mock) cluster reports what Argo CD would, and a failed verification lands a one-step rollback commit.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class PromoteVerifyIT {

  static final String IMAGE = "registry.example.com/acme/odoo";
  static final String OLD = "sha256:" + "1".repeat(64);
  static final String NEW = "sha256:" + "2".repeat(64);
  static final CustomResourceDefinitionContext APPLICATIONS = MockCluster.APPLICATIONS;

  KubernetesMockServer server;
  KubernetesClient client;
  @TempDir Path dir;
  GitDaemon daemon;
  String url;

  @BeforeEach
  void start() throws Exception {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("odoo-gitops.yaml", """
        applications:
          odoo: { image: %s }
        environments:
          production:
            path: envs/production
            layout: kustomize
            cluster:
              namespace: shop
              workload: deployment/odoo
              argo: { application: shop-production }
              timeout: PT3S
              pollInterval: PT0.05S
        """.formatted(IMAGE));
    files.put("envs/production/kustomization.yaml", "images:\n  - name: " + IMAGE + "\n    digest: " + OLD + "\n");
    Path served = Files.createDirectories(dir.resolve("served"));
    RepositorySeed.create(served.resolve("gitops.git"), "main", files, "initial");
    daemon = GitDaemon.start(served);
    url = daemon.url("gitops.git");
    // A first promotion, so that there is a previous good digest to roll back to.
    assertThat(CliRun.of(args("promote", "--image", IMAGE + "@" + OLD.replace('1', '3'))).exitCode()).isZero();
    assertThat(CliRun.of(args("promote", "--image", IMAGE + "@" + OLD)).exitCode()).isZero();

    server.expectCustomResource(APPLICATIONS);
    client.apps().deployments().resource(new DeploymentBuilder()
        .withNewMetadata().withName("odoo").withNamespace("shop").endMetadata()
        .withNewSpec().withReplicas(1).withNewSelector().addToMatchLabels("app", "odoo").endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", "odoo").endMetadata().withNewSpec()
        .addNewContainer().withName("odoo").withImage(IMAGE + "@" + NEW).endContainer()
        .endSpec().endTemplate().endSpec()
        .withNewStatus().withObservedGeneration(1L).withReplicas(1).withUpdatedReplicas(1).withAvailableReplicas(1)
        .endStatus().build()).create();
  }

  @AfterEach
  void stop() {
    if (daemon != null) {
      daemon.close();
    }
  }

  @Test
  void aDegradedReleaseIsRolledBackInOneStep() throws Exception {
    argo("Degraded", "0".repeat(40));
    CliRun run = CliRun.of(args("promote", "--image", IMAGE + "@" + NEW, "--verify", "--auto-rollback",
        "--kubeconfig", kubeconfig().toString()));

    assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
    assertThat(run.out()).contains("promoted odoo in production", "FAILED");
    RevCommit head = head();
    assertThat(head.getShortMessage()).startsWith("rollback odoo in production");
    assertThat(head.getFullMessage()).contains("verification-failed");
    assertThat(head.getFooterLines("Image-Digest")).containsExactly(OLD);
    assertThat(head.getParent(0).getFooterLines("Image-Digest")).containsExactly(NEW);
  }

  @Test
  void aHealthyReleaseAtThePromotionCommitIsVerified() throws Exception {
    argo("Progressing", "0".repeat(40));
    // Argo CD syncs whatever lands on the branch: follow the repository and report the new commit as applied.
    Thread controller = argoSyncing(RevCommit::getName);
    CliRun run = CliRun.of(args("promote", "--image", IMAGE + "@" + NEW, "--verify", "--kubeconfig",
        kubeconfig().toString(), "-o", "json"));
    controller.join();

    assertThat(run.exitCode()).as(run.err() + run.out()).isZero();
    assertThat(run.out()).contains("\"outcome\" : \"LANDED\"", "\"outcome\" : \"VERIFIED\"");
    assertThat(head().getShortMessage()).startsWith("promote odoo to production");
  }

  @Test
  void aHealthyReleaseIsVerifiedAtALaterHeadOfTheBranch() throws Exception {
    argo("Progressing", "0".repeat(40));
    // Another team lands a commit right after the promotion; Argo CD syncs that newer head, never the promotion's.
    String[] later = new String[1];
    Thread controller = argoSyncing(promotion -> later[0] = unrelatedCommit());
    CliRun run = CliRun.of(args("promote", "--image", IMAGE + "@" + NEW, "--verify", "--kubeconfig",
        kubeconfig().toString()));
    controller.join();

    assertThat(run.exitCode()).as(run.err() + run.out()).isZero();
    assertThat(run.out()).contains("VERIFIED odoo in production");
    assertThat(run.err()).contains("the controller synced " + later[0].substring(0, 12) + ", a later commit of the"
        + " branch", "judging it there");
  }

  @Test
  void verifyingAPromotionALaterOneReplacedIsSupersededAndNotRolledBack() throws Exception {
    assertThat(CliRun.of(args("promote", "--image", IMAGE + "@" + NEW)).exitCode()).isZero();
    String promotion = head().getName();
    String third = "sha256:" + "4".repeat(64);
    assertThat(CliRun.of(args("promote", "--image", IMAGE + "@" + third)).exitCode()).isZero();
    String replaced = head().getName();
    argo("Healthy", replaced);

    CliRun run = CliRun.of("verify", "--repo", url, "--cache-dir", dir.resolve("cache").toString(), "--env",
        "production", "--app", "odoo", "--commit", promotion, "--auto-rollback", "--kubeconfig",
        kubeconfig().toString(), "-o", "json");

    assertThat(run.exitCode()).as(run.err() + run.out()).isEqualTo(1);
    assertThat(run.out()).contains("\"outcome\" : \"SUPERSEDED\"", "\"changedBy\" : \"" + replaced + "\"",
        "\"rollback\" : null");
    assertThat(head().getName()).as("nothing rolled back").isEqualTo(replaced);
  }

  /** What the fake Argo CD syncs once a commit landed on the branch: the revision {@code synced} names for it. */
  @FunctionalInterface
  interface Sync {
    String revision(RevCommit landed) throws Exception;
  }

  /** A thread playing Argo CD: once the branch moves, it reports the revision {@code synced} names, Healthy. */
  private Thread argoSyncing(Sync synced) throws Exception {
    ObjectId before = head().getId();
    Thread controller = new Thread(() -> {
      try {
        for (int i = 0; i < 200; i++) {
          RevCommit now = head();
          if (!now.getId().equals(before)) {
            String revision = synced.revision(now);
            client.genericKubernetesResources(APPLICATIONS).inNamespace("argocd").withName("shop-production")
                .edit(app -> {
                  app.setAdditionalProperty("status", MockCluster.argoStatus("Healthy", revision));
                  return app;
                });
            return;
          }
          Thread.sleep(20);
        }
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    controller.start();
    return controller;
  }

  /** A commit of another team on the served branch that changes no environment. */
  private String unrelatedCommit() throws Exception {
    Path work = dir.resolve("other-team");
    try (Git git = Git.cloneRepository().setURI(dir.resolve("served/gitops.git").toUri().toString())
        .setDirectory(work.toFile()).call()) {
      Files.writeString(work.resolve("NOTES.md"), "maintenance window moved\n");
      git.add().addFilepattern("NOTES.md").call();
      RevCommit commit = git.commit().setMessage("docs: maintenance window moved").setAuthor("team", "t@example.com")
          .setCommitter("team", "t@example.com").setSign(false).call();
      git.push().call();
      return commit.getName();
    }
  }

  @Test
  void autoRollbackWithoutVerifyIsRefusedBeforeAnythingIsWritten() throws Exception {
    ObjectId before = head().getId();
    CliRun run = CliRun.of(args("promote", "--image", IMAGE + "@" + NEW, "--auto-rollback"));
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("--auto-rollback only applies with --verify");
    assertThat(head().getId()).isEqualTo(before);
  }

  private String[] args(String command, String... more) {
    List<String> all = new java.util.ArrayList<>(List.of(command, "--repo", url, "--cache-dir",
        dir.resolve("cache").toString(), "--env", "production", "--app", "odoo", "--initiator", "ci"));
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  private void argo(String health, String revision) {
    MockCluster.argoApplication(client, "shop-production", health, revision);
  }

  private RevCommit head() throws Exception {
    try (Git git = Git.open(dir.resolve("served/gitops.git").toFile())) {
      return git.log().setMaxCount(1).call().iterator().next();
    }
  }

  private Path kubeconfig() throws Exception {
    return MockCluster.kubeconfig(dir, server.url("/"), "test-token");
  }
}
