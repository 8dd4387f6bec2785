package io.odoogitops.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.odoogitops.ImageDigest;
import io.odoogitops.ImageRef;
import io.odoogitops.gitops.GitCredentials;
import io.odoogitops.gitops.GitOpsRemote;
import io.odoogitops.gitops.GitOpsRepository;
import io.odoogitops.gitops.PromotionEngine;
import io.odoogitops.gitops.RepositorySeed;
import io.odoogitops.testing.GitDaemon;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end: a three-wave fleet whose tenants are verified in a cluster (the fabric8 mock API server in CRUD mode,
 * with a thread playing Argo CD and the Deployment controller from what the GitOps repository served by git daemon
 * says), one tenant failing its verification: the rollout halts, that tenant is rolled back, later waves are
 * untouched, status says why, and a resume after the fix finishes the rollout.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class FleetClusterIT {

  static final String REPO = "registry.example.com/acme/odoo";
  static final ImageDigest OLD = new ImageDigest("sha256:" + "0".repeat(64));
  static final List<String> TENANTS = List.of("acme", "globex", "initech", "umbrella", "hooli");
  static final ResourceDefinitionContext APPLICATIONS = new ResourceDefinitionContext.Builder()
      .withGroup("argoproj.io").withVersion("v1alpha1").withKind("Application").withPlural("applications")
      .withNamespaced(true).build();

  KubernetesMockServer server;
  KubernetesClient client;

  @TempDir Path dir;
  private GitDaemon daemon;
  private Thread controller;
  private volatile boolean running = true;
  /** Tenants whose workload goes Degraded on any digest but the old one: the bug the fix removes. */
  private final Set<String> broken = ConcurrentHashMap.newKeySet();

  @BeforeEach
  void start() throws Exception {
    StringBuilder config = new StringBuilder("""
        timeZone: Europe/Brussels
        applications:
          odoo: { image: registry.example.com/acme/odoo }
        environments:
        """);
    Map<String, String> files = new LinkedHashMap<>();
    for (String t : TENANTS) {
      config.append("  ").append(t).append(":\n    path: envs/").append(t).append("\n    layout: kustomize\n")
          .append("    cluster:\n      namespace: shop\n      workload: deployment/").append(t)
          .append("\n      argo: { application: ").append(t).append(", namespace: argocd }\n")
          .append("      timeout: PT20S\n      pollInterval: PT0.05S\n");
      files.put("envs/" + t + "/kustomization.yaml", "images:\n  - name: " + REPO + "\n    digest: " + OLD + "\n");
    }
    config.append("""
        fleets:
          saas:
            autoRollback: true
            waves:
              - { name: canary, canary: true, environments: [acme] }
              - { name: gold, environments: [globex, initech], maxParallel: 2 }
              - { name: silver, environments: [umbrella, hooli], maxParallel: 2 }
        """);
    files.put("odoo-gitops.yaml", config.toString());
    Path served = Files.createDirectories(dir.resolve("served"));
    RepositorySeed.create(served.resolve("gitops.git"), "main", files, "initial GitOps repository");
    daemon = GitDaemon.start(served);

    server.expectCustomResource(new CustomResourceDefinitionContext.Builder().withGroup("argoproj.io")
        .withVersion("v1alpha1").withKind("Application").withPlural("applications").withScope("Namespaced")
        .withStatusSubresource(false).build());
    for (String t : TENANTS) {
      client.apps().deployments().resource(new DeploymentBuilder()
          .withNewMetadata().withName(t).withNamespace("shop").endMetadata()
          .withNewSpec().withReplicas(2).withNewSelector().addToMatchLabels("app", t).endSelector()
          .withNewTemplate().withNewMetadata().addToLabels("app", t).endMetadata()
          .withNewSpec().addNewContainer().withName("odoo").withImage(REPO + "@" + OLD).endContainer().endSpec()
          .endTemplate().endSpec().build()).create();
      GenericKubernetesResource app = new GenericKubernetesResourceBuilder().withApiVersion("argoproj.io/v1alpha1")
          .withKind("Application").withNewMetadata().withName(t).withNamespace("argocd").endMetadata().build();
      app.setAdditionalProperty("spec", Map.of("project", "default"));
      client.genericKubernetesResources(APPLICATIONS).inNamespace("argocd").resource(app).create();
    }
    controller = new Thread(this::reconcileLoop, "fake-argo");
    controller.setDaemon(true);
    controller.start();
  }

  @AfterEach
  void stop() throws Exception {
    running = false;
    controller.join(5000);
    daemon.close();
  }

  /** What Argo CD and the Deployment controller do: sync each tenant to the branch head and roll it out. */
  private void reconcileLoop() {
    Path bare = dir.resolve("served/gitops.git");
    Map<String, String> synced = new ConcurrentHashMap<>();
    while (running) {
      try (Git git = Git.open(bare.toFile())) {
        Repository repo = git.getRepository();
        ObjectId head = repo.resolve("refs/heads/main");
        for (String t : TENANTS) {
          String digest = digestAt(repo, head, "envs/" + t + "/kustomization.yaml");
          String state = head.name() + digest + broken.contains(t);
          if (state.equals(synced.get(t))) {
            continue;
          }
          boolean degraded = broken.contains(t) && !digest.equals(OLD.value());
          client.apps().deployments().inNamespace("shop").withName(t).edit(d -> new DeploymentBuilder(d)
              .editSpec().editTemplate().editSpec().editFirstContainer().withImage(REPO + "@" + digest)
              .endContainer().endSpec().endTemplate().endSpec().build());
          Deployment d = client.apps().deployments().inNamespace("shop").withName(t).get();
          client.apps().deployments().inNamespace("shop").withName(t).edit(x -> new DeploymentBuilder(x)
              .editOrNewStatus().withObservedGeneration(d.getMetadata().getGeneration()).withReplicas(2)
              .withUpdatedReplicas(2).withAvailableReplicas(degraded ? 0 : 2).withReadyReplicas(degraded ? 0 : 2)
              .endStatus().build());
          client.genericKubernetesResources(APPLICATIONS).inNamespace("argocd").withName(t).edit(app -> {
            app.setAdditionalProperty("status", Map.of(
                "sync", Map.of("status", "Synced", "revision", head.name()),
                "health", degraded ? Map.of("status", "Degraded", "message", "odoo: CrashLoopBackOff (KeyError:"
                    + " 'invoice_layout')") : Map.of("status", "Healthy")));
            return app;
          });
          synced.put(t, state);
        }
        Thread.sleep(30);
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        // The repository is being written to: look again on the next round.
      }
    }
  }

  private static final Pattern DIGEST = Pattern.compile("digest: (sha256:[0-9a-f]{64})");

  private static String digestAt(Repository repo, ObjectId head, String path) throws Exception {
    try (RevWalk walk = new RevWalk(repo)) {
      RevCommit commit = walk.parseCommit(head);
      try (TreeWalk tw = TreeWalk.forPath(repo, path, commit.getTree())) {
        Matcher m = DIGEST.matcher(new String(repo.open(tw.getObjectId(0)).getBytes(), StandardCharsets.UTF_8));
        return m.find() ? m.group(1) : "";
      }
    }
  }

  @Test
  void aFailingTenantHaltsTheRolloutIsRolledBackAndAResumeAfterTheFixFinishesIt() {
    broken.add("initech");
    ImageRef image = new ImageRef(REPO, "17.0-7", new ImageDigest("sha256:" + "7".repeat(64)));
    try (GitOpsRepository repo = GitOpsRepository.open(new GitOpsRemote(daemon.url("gitops.git"), "main",
        GitCredentials.none(), dir.resolve("cache")))) {
      List<String> progress = new java.util.concurrent.CopyOnWriteArrayList<>();
      FleetRollout rollout = FleetRollout.builder(PromotionEngine.builder(repo).build(), repo)
          .verifier(TenantVerifier.cluster(spec -> new KubernetesClientBuilder()
              .withConfig(client.getConfiguration()).build(), progress::add))
          .initiator("jenkins").progress(progress::add).build();

      FleetAdvance first = rollout.advance("saas", image);

      assertThat(first.outcome()).as(String.join("\n", progress)).isEqualTo(FleetAdvance.Outcome.HALTED);
      assertThat(first.exitCode()).isEqualTo(1);
      assertThat(first.promoted()).extracting(FleetAdvance.TenantStep::tenant)
          .containsExactly("acme", "globex", "initech");
      assertThat(first.verified()).extracting(FleetAdvance.TenantStep::tenant).containsExactly("acme", "globex");
      assertThat(first.failed()).singleElement().satisfies(f -> {
        assertThat(f.tenant()).isEqualTo("initech");
        assertThat(f.detail()).contains("CONTROLLER_FAILED", "Degraded", "rolled back in commit");
        assertThat(f.commit()).isNotNull();
      });
      FleetState state = first.state();
      assertThat(state.halt().tenant()).isEqualTo("initech");
      assertThat(state.halt().reason()).contains("initech", "verification failed", "invoice_layout");
      assertThat(FleetRolloutIT.row(state, "initech").state()).isEqualTo(FleetState.State.FAILED);
      assertThat(FleetRolloutIT.row(state, "initech").running()).isEqualTo(OLD);
      assertThat(FleetRolloutIT.row(state, "initech").failure()).contains("Degraded");
      // The auto-rollback held the digest in initech: status shows it, with the command that lifts it.
      assertThat(state.holds()).singleElement().satisfies(h -> {
        assertThat(h.tenant()).isEqualTo("initech");
        assertThat(h.digest()).isEqualTo(image.digest());
        assertThat(h.rollbackCommit()).startsWith(state.halt().reason().replaceAll(".*rolled back in commit ", ""));
        assertThat(h.releaseCommand()).contains("hold release --env initech --app odoo --digest " + image.digest());
      });
      assertThat(FleetRolloutIT.row(state, "globex").state()).isEqualTo(FleetState.State.VERIFIED);
      // Later waves untouched.
      assertThat(FleetRolloutIT.row(state, "umbrella").state()).isEqualTo(FleetState.State.WAITING);
      assertThat(FleetRolloutIT.row(state, "hooli").running()).isEqualTo(OLD);

      // Another machine reads the same halt, and a run while halted changes nothing.
      try (GitOpsRepository other = GitOpsRepository.open(new GitOpsRemote(daemon.url("gitops.git"), "main",
          GitCredentials.none(), dir.resolve("other")))) {
        FleetRollout elsewhere = FleetRollout.builder(PromotionEngine.builder(other).build(), other).build();
        FleetAdvance again = elsewhere.advance("saas", image);
        assertThat(again.outcome()).isEqualTo(FleetAdvance.Outcome.HALTED);
        assertThat(again.promoted()).isEmpty();
        assertThat(elsewhere.status("saas", null).halt().reason()).contains("initech");
      }

      broken.remove("initech");
      FleetAdvance resumed = rollout.resume("saas", image, "invoice_layout migration fixed in the image's data");

      assertThat(resumed.outcome()).as(String.join("\n", progress)).isEqualTo(FleetAdvance.Outcome.COMPLETE);
      // The auto-rollback held the digest in initech; the resume, a decision on purpose, released that hold.
      assertThat(progress).anySatisfy(line -> assertThat(line).startsWith("fleet saas: released the hold on "
          + image.digest()));
      assertThat(resumed.promoted()).extracting(FleetAdvance.TenantStep::tenant)
          .containsExactly("initech", "umbrella", "hooli");
      assertThat(resumed.state().halt()).isNull();
      assertThat(resumed.state().holds()).isEmpty();
      assertThat(resumed.state().tenants()).allSatisfy(t -> {
        assertThat(t.state()).isEqualTo(FleetState.State.VERIFIED);
        assertThat(t.running()).isEqualTo(image.digest());
      });
    }
  }

  private GitOpsRepository open(String cache) {
    return GitOpsRepository.open(new GitOpsRemote(daemon.url("gitops.git"), "main", GitCredentials.none(),
        dir.resolve(cache)));
  }

  /**
   * The cluster verifier, with {@code meanwhile} run (once, from the first verification of {@code tenant}) before it
   * starts: commits another machine lands while the fleet verifies. Then it waits until the fake Argo CD synced the
   * new head for the tenant, so that the verifier only ever sees the later commit, as it would on a busy branch.
   */
  private TenantVerifier verifierLanding(String tenant, java.util.function.Supplier<String> meanwhile,
      List<String> progress) {
    TenantVerifier cluster = TenantVerifier.cluster(spec -> new KubernetesClientBuilder()
        .withConfig(client.getConfiguration()).build(), progress::add);
    java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
    return new TenantVerifier() {
      @Override
      public io.odoogitops.cluster.VerificationReport verify(String t, io.odoogitops.config.ClusterSpec spec,
          String application, String commit, ImageDigest digest) {
        throw new AssertionError("the rollout passes its repository's later revisions");
      }

      @Override
      public io.odoogitops.cluster.VerificationReport verify(String t, io.odoogitops.config.ClusterSpec spec,
          String application, String commit, ImageDigest digest, io.odoogitops.cluster.LaterRevisions later) {
        if (t.equals(tenant) && done.compareAndSet(false, true)) {
          String head = meanwhile.get();
          awaitSynced(t, head);
        }
        return cluster.verify(t, spec, application, commit, digest, later);
      }
    };
  }

  private void awaitSynced(String tenant, String head) {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    while (!head.equals(client.genericKubernetesResources(APPLICATIONS).inNamespace("argocd").withName(tenant).get()
        .get("status", "sync", "revision"))) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the fake Argo CD never synced " + head + " for " + tenant);
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }

  @Test
  void verificationPassesAtALaterHeadWhenUnrelatedCommitsLandMeanwhile() {
    ImageRef image = new ImageRef(REPO, "17.0-8", new ImageDigest("sha256:" + "8".repeat(64)));
    try (GitOpsRepository repo = open("cache"); GitOpsRepository other = open("other")) {
      PromotionEngine otherTeam = PromotionEngine.builder(other).build();
      List<String> progress = new java.util.concurrent.CopyOnWriteArrayList<>();
      FleetRollout rollout = FleetRollout.builder(PromotionEngine.builder(repo).build(), repo)
          .verifier(verifierLanding("acme", () -> {
            String head = null;
            for (int i = 1; i <= 3; i++) {
              head = otherTeam.record(s -> List.of(new io.odoogitops.gitops.RecordCommit(Map.of(
                  ".odoo-gitops/other-team/note.txt", ("note " + System.nanoTime()).getBytes(StandardCharsets.UTF_8)),
                  "other team: a note", List.of()))).orElseThrow();
            }
            return head;
          }, progress)).initiator("jenkins").progress(progress::add).build();

      FleetAdvance run = rollout.advance("saas", image);

      assertThat(run.outcome()).as(String.join("\n", progress)).isEqualTo(FleetAdvance.Outcome.COMPLETE);
      assertThat(run.verified()).extracting(FleetAdvance.TenantStep::tenant).containsExactlyElementsOf(TENANTS);
      assertThat(run.superseded()).isEmpty();
      assertThat(progress).anySatisfy(line -> assertThat(line).contains("a later commit of the branch",
          "which still deploys " + image.digest().value().substring(0, 19), "judging it there"));
    }
  }

  @Test
  void aTenantSomeoneElsePromotesWhileItIsVerifiedIsSupersededAndHaltsWithoutRollback() {
    ImageRef image = new ImageRef(REPO, "17.0-8", new ImageDigest("sha256:" + "8".repeat(64)));
    ImageRef hotfix = new ImageRef(REPO, "17.0-9-hotfix", new ImageDigest("sha256:" + "9".repeat(64)));
    try (GitOpsRepository repo = open("cache"); GitOpsRepository other = open("other")) {
      List<String> progress = new java.util.concurrent.CopyOnWriteArrayList<>();
      String[] hotfixCommit = new String[1];
      FleetRollout rollout = FleetRollout.builder(PromotionEngine.builder(repo).build(), repo)
          .verifier(verifierLanding("globex", () -> {
            hotfixCommit[0] = PromotionEngine.builder(other).build().promote(io.odoogitops.gitops.Promotion
                .builder("globex", "odoo", hotfix).initiator("carol").reason("hotfix for globex's invoices")
                .build()).commitId();
            return hotfixCommit[0];
          }, progress)).initiator("jenkins").progress(progress::add).build();

      FleetAdvance run = rollout.advance("saas", image);

      assertThat(run.outcome()).as(String.join("\n", progress)).isEqualTo(FleetAdvance.Outcome.HALTED);
      assertThat(run.failed()).isEmpty();
      assertThat(run.verified()).extracting(FleetAdvance.TenantStep::tenant).containsExactly("acme", "initech");
      assertThat(run.superseded()).singleElement().satisfies(s -> {
        assertThat(s.tenant()).isEqualTo("globex");
        assertThat(s.commit()).isEqualTo(hotfixCommit[0]);
        assertThat(s.detail()).contains("changed by commit " + hotfixCommit[0].substring(0, 12),
            hotfix.digest().value().substring(0, 19));
      });
      FleetState state = run.state();
      assertThat(state.halt().tenant()).isEqualTo("globex");
      assertThat(state.halt().reason()).contains("tenant globex was changed by commit "
          + hotfixCommit[0].substring(0, 12) + " after its promotion", "neither verified nor rolled back");
      assertThat(FleetRolloutIT.row(state, "globex").state()).isEqualTo(FleetState.State.SUPERSEDED);
      assertThat(FleetRolloutIT.row(state, "globex").running()).as("no automatic rollback of carol's hotfix")
          .isEqualTo(hotfix.digest());
      assertThat(state.holds()).isEmpty();
      assertThat(FleetRolloutIT.row(state, "umbrella").state()).isEqualTo(FleetState.State.WAITING);

      // Someone looked: the hotfix stays, and the rollout carries on around globex.
      FleetAdvance resumed = rollout.resume("saas", image, "globex keeps carol's hotfix until the next release");
      assertThat(resumed.outcome()).as(String.join("\n", progress)).isEqualTo(FleetAdvance.Outcome.COMPLETE);
      assertThat(resumed.promoted()).extracting(FleetAdvance.TenantStep::tenant).containsExactly("umbrella", "hooli");
      assertThat(FleetRolloutIT.row(resumed.state(), "globex").running()).isEqualTo(hotfix.digest());
    }
  }
}
