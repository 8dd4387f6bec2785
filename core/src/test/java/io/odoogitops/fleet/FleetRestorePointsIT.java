package io.odoogitops.fleet;

import io.odoogitops.ImageDigest;
import io.odoogitops.ReleaseException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.odoogitops.dryrun.report.DryRunReport;
import io.odoogitops.dryrun.report.JsonReport;
import io.odoogitops.dryrun.verdict.Judgement;
import io.odoogitops.dryrun.verdict.RollbackSafety;
import io.odoogitops.gitops.GateCheck;
import io.odoogitops.gitops.GitCredentials;
import io.odoogitops.gitops.GitOpsRemote;
import io.odoogitops.gitops.GitOpsRepository;
import io.odoogitops.gitops.PromotionEngine;
import io.odoogitops.gitops.RepositorySeed;
import io.odoogitops.policy.Verdict;
import io.odoogitops.restore.RestorePoint;
import io.odoogitops.restore.RestorePointEvidence;
import io.odoogitops.restore.RestorePointKind;
import io.odoogitops.restore.backup.RestorePoints;
import io.odoogitops.testing.GitDaemon;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fleet restore-point take} through the core: which tenants of the current wave need a point (the rule of
 * their policy, read with each tenant's dry-run report), their points taken as CloudNativePG Backups on the fabric8
 * mock API server in CRUD mode (the test thread plays the operator), two at a time, one failing without stopping the
 * others, and the evidence read back as each tenant's gate input.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class FleetRestorePointsIT {

  static final String REPO = "registry.example.com/acme/odoo";
  static final ImageDigest DIGEST = new ImageDigest("sha256:" + "4d".repeat(32));
  static final String BACKUPS_GROUP = "postgresql.cnpg.io";

  static final ResourceDefinitionContext BACKUPS = new ResourceDefinitionContext.Builder().withGroup(BACKUPS_GROUP)
      .withVersion("v1").withKind("Backup").withPlural("backups").withNamespaced(true).build();
  static final ResourceDefinitionContext CLUSTERS = new ResourceDefinitionContext.Builder().withGroup(BACKUPS_GROUP)
      .withVersion("v1").withKind("Cluster").withPlural("clusters").withNamespaced(true).build();

  KubernetesMockServer server;
  KubernetesClient client;

  @TempDir Path dir;

  private static String tenant(String name, String policy) {
    return """
          %s:
            path: envs/%s
            layout: kustomize
            labels: { tier: gold }
            restorePoint: %s
            cluster:
              namespace: shop
              workload: deployment/odoo
              argo: { application: %s }
              cloudNativePG: { cluster: %s-db, method: barmanObjectStore, timeout: PT30S }
        """.formatted(name, name, policy, name, name);
  }

  private Map<String, String> files() {
    return files("");
  }

  /** The fleet's files, {@code umbrellaExtra} appended to umbrella's environment. */
  private Map<String, String> files(String umbrellaExtra) {
    String config = """
        applications:
          odoo: { image: registry.example.com/acme/odoo }
        environments:
          acme: { path: envs/acme, layout: kustomize, labels: { tier: canary } }
        """ + tenant("globex", "whenRestoreRequired") + tenant("initech", "whenRestoreRequired")
        + tenant("hooli", "whenRestoreRequired") + tenant("umbrella", "required") + umbrellaExtra + """
        fleets:
          saas:
            waves:
              - { name: canary, canary: true, environments: [acme], soak: 2h }
              - { name: gold, selector: { matchLabels: { tier: gold } }, maxParallel: 4 }
        """;
    Map<String, String> files = new LinkedHashMap<>();
    files.put("odoo-gitops.yaml", config);
    for (String t : List.of("acme", "globex", "initech", "hooli", "umbrella")) {
      files.put("envs/" + t + "/kustomization.yaml", "images:\n  - name: " + REPO + "\n    digest: sha256:"
          + "0".repeat(64) + "\n");
    }
    return files;
  }

  private void report(Path reports, String tenant, Verdict verdict, RollbackSafety safety) throws Exception {
    Instant finished = Instant.now().minusSeconds(60);
    Files.write(Files.createDirectories(reports.resolve(tenant)).resolve("dry-run.json"), JsonReport.bytes(
        new DryRunReport(DryRunReport.SCHEMA_VERSION, "run-" + tenant, REPO, DIGEST, finished, finished,
            "db:5432/" + tenant, null, null, null, List.of(), 0, List.of(),
            new Judgement(DIGEST, verdict, safety, List.of(), List.of()), null)));
  }

  private void cnpgInstalled() {
    for (ResourceDefinitionContext type : List.of(BACKUPS, CLUSTERS)) {
      server.expectCustomResource(new CustomResourceDefinitionContext.Builder().withGroup(type.getGroup())
          .withVersion(type.getVersion()).withKind(type.getKind()).withPlural(type.getPlural())
          .withScope("Namespaced").withStatusSubresource(false).build());
    }
    for (String t : List.of("globex", "initech", "hooli", "umbrella")) {
      client.genericKubernetesResources(CLUSTERS).inNamespace("shop").resource(new GenericKubernetesResourceBuilder()
          .withApiVersion("postgresql.cnpg.io/v1").withKind("Cluster").withNewMetadata().withName(t + "-db")
          .withNamespace("shop").endMetadata().build()).create();
    }
  }

  @Test
  void pointsOfTheCurrentWaveAreTakenWhereTheRuleAsksAndReadBackAsGateInputs() throws Exception {
    Path served = served(files());
    Path reports = reports();
    cnpgInstalled();
    try (GitDaemon daemon = GitDaemon.start(served);
        GitOpsRepository repo = open(daemon)) {
      FleetRollout rollout = rollout(repo, reports);

      // Before the rollout, the current wave is the canary, which asks for none.
      FleetRestorePoints.Selection early = rollout.restorePointsNeeded("saas", DIGEST);
      assertThat(early.wave()).isEqualTo("canary");
      assertThat(early.needed()).isEmpty();
      assertThat(early.skipped()).singleElement().satisfies(s -> assertThat(s.why()).contains("restorePoint: off"));

      assertThat(rollout.advance("saas", new io.odoogitops.ImageRef(REPO, "17.0", DIGEST)).outcome())
          .isEqualTo(FleetAdvance.Outcome.ADVANCED);
      FleetRestorePoints.Selection gold = rollout.restorePointsNeeded("saas", DIGEST);
      assertThat(gold.wave()).isEqualTo("gold");
      assertThat(gold.needed()).extracting(FleetRestorePoints.Needed::tenant).containsExactly("globex", "umbrella");
      assertThat(gold.needed().get(0).why()).contains("RESTORE_REQUIRED");
      assertThat(gold.needed().get(1).why()).isEqualTo("restorePoint: required");
      assertThat(gold.skipped()).extracting(s -> s.tenant() + ": " + s.why()).containsExactly(
          "initech: the dry-run says the previous image can run on the migrated schema (restorePoint:"
              + " whenRestoreRequired)",
          "hooli: its dry-run of " + io.odoogitops.ImageDigest.shortForm(DIGEST) + " says FAIL: the rollout halts"
              + " there, and a point protects nothing");

      List<String> progress = new CopyOnWriteArrayList<>();
      Path out = dir.resolve("points");
      FleetRestorePoints points = new FleetRestorePoints(lines -> RestorePoints.builder().cluster(() -> client)
          .pollInterval(Duration.ofMillis(30)).progress(lines).build(), out, 2, Optional.empty());
      CompletableFuture<FleetRestorePointResult> running = CompletableFuture.supplyAsync(() ->
          points.take(gold, progress::add));
      Set<String> answered = new HashSet<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (answered.size() < 2 && System.nanoTime() < deadline) {
        for (GenericKubernetesResource backup : client.genericKubernetesResources(BACKUPS).inNamespace("shop").list()
            .getItems()) {
          String name = backup.getMetadata().getName();
          if (answered.add(name)) {
            // the operator's part: globex's backup completes, umbrella's fails
            client.genericKubernetesResources(BACKUPS).inNamespace("shop").withName(name).edit(b -> {
              b.setAdditionalProperty("status", name.startsWith("globex-") ? Map.of("phase", "completed",
                  "method", "barmanObjectStore", "backupId", "20261130T021500", "startedAt", Instant.now().toString(),
                  "stoppedAt", Instant.now().toString()) : Map.of("phase", "failed", "error", "bucket not found"));
              return b;
            });
          }
        }
        Thread.sleep(20);
      }
      FleetRestorePointResult result = running.get(20, TimeUnit.SECONDS);

      assertThat(answered).hasSize(2).allSatisfy(n -> assertThat(n).matches("(globex|umbrella)-odoo-4d4d4d4d4d4d-.*"));
      assertThat(result.tenants()).extracting(t -> t.tenant() + " " + t.status().label())
          .containsExactly("initech skipped", "hooli skipped", "globex taken", "umbrella failed");
      assertThat(result.exitCode()).isEqualTo(3);
      assertThat(result.tenants().get(3).reason()).contains("bucket not found");
      assertThat(result.counts()).containsEntry("taken", 1).containsEntry("failed", 1).containsEntry("skipped", 2);
      assertThat(progress).anyMatch(l -> l.startsWith("globex: ")).anyMatch(l -> l.startsWith("umbrella: "));

      Path evidence = FleetRestorePoints.evidenceOf(out, "globex");
      RestorePoint point = RestorePointEvidence.read(evidence);
      assertThat(point.kind()).isEqualTo(RestorePointKind.CLOUDNATIVEPG);
      assertThat(point.environment()).isEqualTo("globex");
      assertThat(point.digest()).isEqualTo(DIGEST);
      assertThat(result.tenants().get(2).trailer()).isEqualTo(point.trailer());
      assertThat(FleetRestorePoints.evidenceOf(out, "umbrella")).doesNotExist();

      var inputs = FleetRestorePoints.gateInputs(out, FleetRollout.dryRunReports(reports, GateCheck.Inputs.none()));
      assertThat(inputs.apply("globex").restorePoint()).contains(point);
      assertThat(inputs.apply("globex").dryRun()).isPresent();
      assertThat(inputs.apply("umbrella").restorePoint()).isEmpty();
    }
  }

  @Test
  void aPointThatFailsTonightLeavesNoPointOfAnEarlierRunForTheGate() throws Exception {
    Path served = served(files());
    Path reports = reports();
    cnpgInstalled();
    try (GitDaemon daemon = GitDaemon.start(served);
        GitOpsRepository repo = open(daemon)) {
      FleetRollout rollout = rollout(repo, reports);
      rollout.advance("saas", new io.odoogitops.ImageRef(REPO, "17.0", DIGEST));
      FleetRestorePoints.Selection gold = rollout.restorePointsNeeded("saas", DIGEST);
      Path out = dir.resolve("points");

      // last night, same --out (the Jenkins example's build/restore-points without its rm): both points taken
      assertThat(takeWithOperator(gold, out, Set.of()).tenants()).extracting(t -> t.tenant() + " " + t.status().label())
          .contains("globex taken", "umbrella taken");
      Path umbrella = FleetRestorePoints.evidenceOf(out, "umbrella");
      Files.writeString(io.odoogitops.restore.RestorePointSignature.fileOf(umbrella), "an earlier signature\n");
      Path hooli = FleetRestorePoints.evidenceOf(out, "hooli");
      Files.createDirectories(hooli.getParent());
      Files.writeString(hooli, "{}"); // a skipped tenant's leftover goes too

      // tonight umbrella's backup fails
      FleetRestorePointResult tonight = takeWithOperator(gold, out, Set.of("umbrella"));
      assertThat(tonight.tenants()).extracting(t -> t.tenant() + " " + t.status().label())
          .contains("umbrella failed");
      assertThat(umbrella).doesNotExist();
      assertThat(io.odoogitops.restore.RestorePointSignature.fileOf(umbrella)).doesNotExist();
      assertThat(hooli).doesNotExist();
      var inputs = FleetRestorePoints.gateInputs(out, FleetRollout.dryRunReports(reports, GateCheck.Inputs.none()));
      assertThat(inputs.apply("umbrella").restorePoint()).as("last night's point").isEmpty();

      // a tenant directory that links out of --out is refused before any backup, and nothing behind it is removed
      Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
      Files.writeString(elsewhere.resolve(FleetRestorePoints.EVIDENCE), "not ours");
      deleteRecursively(hooli.getParent());
      Files.createSymbolicLink(hooli.getParent(), elsewhere);
      int backupsBefore = client.genericKubernetesResources(BACKUPS).inNamespace("shop").list().getItems().size();
      FleetRestorePoints points = new FleetRestorePoints(lines -> RestorePoints.builder().cluster(() -> client)
          .pollInterval(Duration.ofMillis(30)).progress(lines).build(), out, 2, Optional.empty());
      assertThatThrownBy(() -> points.take(gold, line -> { })).isInstanceOf(ReleaseException.class)
          .hasMessageContaining("is a symbolic link");
      assertThat(elsewhere.resolve(FleetRestorePoints.EVIDENCE)).hasContent("not ours");
      assertThat(client.genericKubernetesResources(BACKUPS).inNamespace("shop").list().getItems())
          .hasSize(backupsBefore);
    }
  }

  @Test
  void aFrozenTenantGetsNoPointUntilItsWindowOpens() throws Exception {
    // umbrella is in its month-end close for ten more days: fleet promote only queues it
    java.time.ZoneId brussels = java.time.ZoneId.of("Europe/Brussels");
    java.time.LocalDateTime opens = java.time.LocalDateTime.now(brussels).plusDays(10)
        .truncatedTo(java.time.temporal.ChronoUnit.DAYS);
    Path served = served(files("""
            freeze:
              - { name: month-end close, from: %s, to: %s, timeZone: Europe/Brussels }
        """.formatted(opens.minusDays(20), opens)));
    Path reports = dir.resolve("reports");
    report(reports, "globex", Verdict.PASS, RollbackSafety.RESTORE_REQUIRED);
    try (GitDaemon daemon = GitDaemon.start(served);
        GitOpsRepository repo = open(daemon)) {
      FleetRollout rollout = rollout(repo, reports);
      rollout.advance("saas", new io.odoogitops.ImageRef(REPO, "17.0", DIGEST));

      FleetRestorePoints.Selection gold = rollout.restorePointsNeeded("saas", DIGEST);
      assertThat(gold.needed()).extracting(FleetRestorePoints.Needed::tenant).contains("globex")
          .doesNotContain("umbrella");
      assertThat(gold.skipped()).filteredOn(s -> s.tenant().equals("umbrella")).singleElement()
          .satisfies(s -> assertThat(s.why()).isEqualTo("frozen until " + java.time.format.DateTimeFormatter.ofPattern(
              "yyyy-MM-dd HH:mm z", java.util.Locale.ROOT).format(opens.atZone(brussels)) + " (month-end close): no"
              + " point until its window opens"));
    }
  }

  @Test
  void aReportTheGateWouldRejectDecidesNothingAboutAPoint() throws Exception {
    Path key = io.odoogitops.signing.SshKeygen.generate(dir, "ci", "ed25519", null, null);
    Map<String, String> files = files();
    // the tenants' gates take only dry-run reports signed by ci-dryrun; the reports below are unsigned
    files.put("odoo-gitops.yaml", "allowedSigners:\n  ci-dryrun: \"" + io.odoogitops.signing.SshKeygen.publicKey(key)
        + "\"\n" + files.get("odoo-gitops.yaml").replace("restorePoint: whenRestoreRequired\n",
            "restorePoint: whenRestoreRequired\n    gate: { dryRun: PASS, dryRunSigners: [ci-dryrun] }\n"));
    Path served = served(files);
    Path reports = dir.resolve("reports");
    report(reports, "initech", Verdict.PASS, RollbackSafety.PREVIOUS_IMAGE_COMPATIBLE);
    report(reports, "hooli", Verdict.FAIL, RollbackSafety.PREVIOUS_IMAGE_COMPATIBLE);
    try (GitDaemon daemon = GitDaemon.start(served);
        GitOpsRepository repo = open(daemon)) {
      FleetRollout rollout = rollout(repo, reports);
      rollout.advance("saas", new io.odoogitops.ImageRef(REPO, "17.0", DIGEST));

      FleetRestorePoints.Selection gold = rollout.restorePointsNeeded("saas", DIGEST);
      // neither "compatible" nor "FAIL" counts from a report the gate would reject: both need their point
      assertThat(gold.needed()).extracting(FleetRestorePoints.Needed::tenant)
          .containsExactly("globex", "initech", "hooli", "umbrella");
      assertThat(gold.needed().get(1).why()).startsWith("restorePoint: whenRestoreRequired; its gate would not take"
          + " the dry-run report of " + io.odoogitops.ImageDigest.shortForm(DIGEST) + " (the dry-run report ")
          .contains("is not signed").endsWith("so none says whether it is RESTORE_REQUIRED");
      assertThat(gold.needed().get(0).why()).isEqualTo("restorePoint: whenRestoreRequired; no dry-run report of "
          + io.odoogitops.ImageDigest.shortForm(DIGEST) + " says whether it is RESTORE_REQUIRED");
    }
  }

  /** The gold wave's reports: globex RESTORE_REQUIRED, initech compatible, hooli FAIL; umbrella has none. */
  private Path reports() throws Exception {
    Path reports = dir.resolve("reports");
    report(reports, "globex", Verdict.PASS, RollbackSafety.RESTORE_REQUIRED);
    report(reports, "initech", Verdict.PASS, RollbackSafety.PREVIOUS_IMAGE_COMPATIBLE);
    report(reports, "hooli", Verdict.FAIL, RollbackSafety.PREVIOUS_IMAGE_COMPATIBLE);
    return reports;
  }

  /** The fleet's GitOps repository with {@code files}, in a directory for git daemon to serve. */
  private Path served(Map<String, String> files) throws java.io.IOException {
    Path served = Files.createDirectories(dir.resolve("served"));
    RepositorySeed.create(served.resolve("gitops.git"), "main", files, "initial");
    return served;
  }

  private GitOpsRepository open(GitDaemon daemon) {
    return GitOpsRepository.open(new GitOpsRemote(daemon.url("gitops.git"), "main", GitCredentials.none(),
        dir.resolve("cache")));
  }

  /** The fleet's rollout, each tenant's gate given its report under {@code reports}. */
  private static FleetRollout rollout(GitOpsRepository repo, Path reports) {
    StepClock clock = new StepClock(Instant.now());
    return FleetRollout.builder(PromotionEngine.builder(repo).clock(clock).build(), repo).clock(clock)
        .initiatorClaim("ci").gateInputs(FleetRollout.dryRunReports(reports, GateCheck.Inputs.none())).build();
  }

  /** Takes the points of {@code selection} while this thread plays the operator: the backups of {@code failing} fail. */
  private FleetRestorePointResult takeWithOperator(FleetRestorePoints.Selection selection, Path out,
      Set<String> failing) throws Exception {
    FleetRestorePoints points = new FleetRestorePoints(lines -> RestorePoints.builder().cluster(() -> client)
        .pollInterval(Duration.ofMillis(30)).progress(lines).build(), out, 2, Optional.empty());
    CompletableFuture<FleetRestorePointResult> running = CompletableFuture.supplyAsync(() ->
        points.take(selection, line -> { }));
    Set<String> answered = new HashSet<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!running.isDone() && System.nanoTime() < deadline) {
      for (GenericKubernetesResource backup : client.genericKubernetesResources(BACKUPS).inNamespace("shop").list()
          .getItems()) {
        String name = backup.getMetadata().getName();
        if (answered.add(name)) {
          boolean fail = failing.stream().anyMatch(f -> name.startsWith(f + "-"));
          client.genericKubernetesResources(BACKUPS).inNamespace("shop").withName(name).edit(b -> {
            b.setAdditionalProperty("status", !fail ? Map.of("phase", "completed",
                "method", "barmanObjectStore", "backupId", "20261130T021500", "startedAt", Instant.now().toString(),
                "stoppedAt", Instant.now().toString()) : Map.of("phase", "failed", "error", "bucket not found"));
            return b;
          });
        }
      }
      Thread.sleep(20);
    }
    return running.get(20, TimeUnit.SECONDS);
  }

  private static void deleteRecursively(Path path) throws java.io.IOException {
    try (var walk = Files.walk(path)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
