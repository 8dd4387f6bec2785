package io.odoogitops.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.odoogitops.ReleaseException;
import io.odoogitops.dryrun.upgrade.UpgradeOutcome;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The upgrade Job against the fabric8 mock API server in CRUD mode. The test thread plays the Job controller and the
 * kubelet: it waits for the Job, creates its pod, serves the pod's log and sets the Job's final status.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class OdooUpgradeJobIT {

  private static final String NAMESPACE = "staging";
  private static final String IMAGE = "registry.example.com/shop/odoo@sha256:" + "c".repeat(64);
  private static final String PASSWORD = "pg-Secret-Pa55";
  private static final String OK_LOG = """
      2026-11-23 10:00:00,001 7 INFO shop_clone odoo.modules.loading: loading 84 modules...
      2026-11-23 10:00:00,201 7 INFO shop_clone odoo.modules.migration: module shop_custom: Running migration [>17.0.2.0] pre-migrate
      2026-11-23 10:00:03,100 7 INFO shop_clone odoo.modules.loading: Module shop_custom loaded in 2.90s, 310 queries
      2026-11-23 10:00:03,120 7 INFO shop_clone odoo.modules.loading: 84 modules loaded in 3.12s, 0 queries
      2026-11-23 10:00:03,121 7 WARNING shop_clone odoo.fields: Field sale.order.note has a deprecated attribute
      2026-11-23 10:00:03,500 7 INFO shop_clone odoo.service.server: Initiating shutdown
      """;

  KubernetesMockServer server;
  /** The test's own client, playing the controllers; the runner gets another, as it would in production. */
  KubernetesClient client;
  private KubernetesClient runnerClient;

  private final List<String> progress = new CopyOnWriteArrayList<>();
  private final List<String> logLines = new CopyOnWriteArrayList<>();

  @BeforeEach
  void openRunnerClient() {
    runnerClient = clientWithRetries(1); // as ClusterConnection configures it
  }

  private KubernetesClient clientWithRetries(int retries) {
    return server.createClient(b -> b.editOrNewConfig().withRequestRetryBackoffLimit(retries).endConfig());
  }

  @AfterEach
  void closeRunnerClient() {
    if (runnerClient != null) {
      runnerClient.close();
    }
  }

  private ProgressListener listener() {
    return new ProgressListener() {
      @Override
      public void progress(String message) {
        progress.add(message);
      }

      @Override
      public void podLog(String pod, String line) {
        logLines.add(line);
      }
    };
  }

  private UpgradeJobSpec spec(Duration timeout) {
    return UpgradeJobSpec.builder().namespace(NAMESPACE).image(IMAGE).modules(List.of("sale", "shop_custom"))
        .database("shop_clone").credentials(new DatabaseCredentials("pg.staging.svc", 5432, "odoo", PASSWORD))
        .timeout(timeout).pollInterval(Duration.ofMillis(40)).build();
  }

  private CompletableFuture<UpgradeJobResult> runInBackground(UpgradeJobSpec spec) {
    return CompletableFuture.supplyAsync(() -> new OdooUpgradeJob(runnerClient, listener()).run(spec));
  }

  /** Waits until the runner created its Job, as the Job controller would notice it. */
  private Job awaitJob() throws InterruptedException {
    for (int i = 0; i < 200; i++) {
      List<Job> jobs = client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems();
      if (!jobs.isEmpty()) {
        return jobs.get(0);
      }
      Thread.sleep(20);
    }
    throw new AssertionError("the upgrade job was never created");
  }

  /** The kubelet's part: a pod of the Job whose container ended with {@code exitCode} after printing {@code log}. */
  private String finishedPod(Job job, int exitCode, String log) {
    String pod = job.getMetadata().getName() + "-x7k2p";
    server.expect().get()
        .withPath("/api/v1/namespaces/" + NAMESPACE + "/pods/" + pod + "/log?pretty=false&container=odoo&follow=true")
        .andReturn(200, log).always();
    client.pods().inNamespace(NAMESPACE).resource(new PodBuilder()
        .withNewMetadata().withName(pod).withNamespace(NAMESPACE)
        .addToLabels(OdooUpgradeJob.JOB_NAME_LABEL, job.getMetadata().getName()).endMetadata()
        .withNewSpec().addNewContainer().withName("odoo").withImage(IMAGE).endContainer().endSpec()
        .withNewStatus().withPhase(exitCode == 0 ? "Succeeded" : "Failed")
        .withContainerStatuses(new ContainerStatusBuilder().withName("odoo")
            .withNewState().withNewTerminated().withExitCode(exitCode)
            .withReason(exitCode == 0 ? "Completed" : "Error").endTerminated().endState().build())
        .endStatus().build()).create();
    return pod;
  }

  /** The Job controller's part: the final status. */
  private void jobStatus(Job job, boolean succeeded) {
    jobStatus(job, succeeded, succeeded ? null : "BackoffLimitExceeded");
  }

  private void jobStatus(Job job, boolean succeeded, String failureReason) {
    client.batch().v1().jobs().inNamespace(NAMESPACE).withName(job.getMetadata().getName())
        .edit(j -> new JobBuilder(j).editOrNewStatus()
            .withSucceeded(succeeded ? 1 : 0).withFailed(succeeded ? 0 : 1)
            .withConditions(new JobConditionBuilder().withType(succeeded ? "Complete" : "Failed").withStatus("True")
                .withReason(failureReason)
                .withMessage(succeeded ? null : "Job was failed by the cluster").build())
            .endStatus().build());
  }

  private void assertCleanedUp() {
    assertThat(client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems()).as("jobs left").isEmpty();
    assertThat(client.secrets().inNamespace(NAMESPACE).list().getItems()).as("secrets left").isEmpty();
  }

  @Test
  void successfulUpgradeStreamsTheLogAndCleansUp() throws Exception {
    var running = runInBackground(spec(Duration.ofSeconds(20)));
    Job job = awaitJob();

    // What the runner asked the cluster to run: the digest, Odoo's upgrade flags, and credentials only by reference.
    var container = job.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(container.getImage()).isEqualTo(IMAGE);
    assertThat(container.getCommand()).containsExactly("odoo");
    assertThat(container.getArgs()).containsExactly("-u", "sale,shop_custom", "--stop-after-init", "--workers=0",
        "-d", "shop_clone");
    assertThat(container.getEnv()).isNullOrEmpty();
    assertThat(container.getEnvFrom()).singleElement()
        .satisfies(e -> assertThat(e.getSecretRef().getName()).isEqualTo(job.getMetadata().getName()));
    assertThat(job.getSpec().getBackoffLimit()).isZero();
    assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(20L);
    assertThat(job.getSpec().getTemplate().getSpec().getRestartPolicy()).isEqualTo("Never");
    assertThat(client.resource(job).get().toString() + job).doesNotContain(PASSWORD);

    Secret secret = client.secrets().inNamespace(NAMESPACE).withName(job.getMetadata().getName()).get();
    assertThat(secret.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(o -> assertThat(o.getKind()).isEqualTo("Job"));
    String password = secret.getStringData() != null ? secret.getStringData().get("PGPASSWORD")
        : new String(Base64.getDecoder().decode(secret.getData().get("PGPASSWORD")), StandardCharsets.UTF_8);
    assertThat(password).isEqualTo(PASSWORD);

    String pod = finishedPod(job, 0, OK_LOG);
    jobStatus(job, true);

    UpgradeJobResult result = running.get(15, TimeUnit.SECONDS);
    assertThat(result.outcome()).isEqualTo(UpgradeOutcome.SUCCEEDED);
    assertThat(result.passed()).isTrue();
    assertThat(result.exitCode()).isZero();
    assertThat(result.pod()).isEqualTo(pod);
    assertThat(result.logLines()).isEqualTo(6);
    assertThat(result.errorLines()).isEmpty();
    assertThat(result.odooLog().odooLines()).isEqualTo(6);
    assertThat(result.odooLog().modules()).singleElement().satisfies(module -> {
      assertThat(module.module()).isEqualTo("shop_custom");
      assertThat(module.duration()).isEqualTo(Duration.ofMillis(2_900));
      assertThat(module.queries()).isEqualTo(310L);
      assertThat(module.scripts()).extracting(s -> s.stage() + " " + s.version() + " " + s.script())
          .containsExactly("pre 17.0.2.0 pre-migrate");
    });
    assertThat(result.duration()).isPositive();
    assertThat(logLines).hasSize(6).last().asString().contains("Initiating shutdown");
    assertThat(progress).noneMatch(line -> line.contains(PASSWORD));
    assertThat(result.toJson()).doesNotContain(PASSWORD).contains("\"outcome\" : \"SUCCEEDED\"");
    assertCleanedUp();
  }

  @Test
  void modulesTheReleaseNowNeedsAreInstalledByTheSameJob() throws Exception {
    UpgradeJobSpec spec = UpgradeJobSpec.builder().namespace(NAMESPACE).image(IMAGE).modules(List.of("shop_custom"))
        .install(List.of("shop_base", "shop_bridge")).database("shop_clone")
        .credentials(new DatabaseCredentials("pg.staging.svc", 5432, "odoo", PASSWORD))
        .timeout(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(40)).build();
    var running = runInBackground(spec);
    Job job = awaitJob();
    assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs()).containsExactly("-u",
        "shop_custom", "-i", "shop_base,shop_bridge", "--stop-after-init", "--workers=0", "-d", "shop_clone");
    finishedPod(job, 0, OK_LOG);
    jobStatus(job, true);
    UpgradeJobResult result = running.get(15, TimeUnit.SECONDS);
    assertThat(result.passed()).isTrue();
    assertThat(progress).anyMatch(line -> line.contains("-u shop_custom -i shop_base,shop_bridge"));
    assertCleanedUp();
  }

  @Test
  void apiServerBlipWhileWaitingIsRetried() throws Exception {
    // No retries inside fabric8, so that the API errors reach the runner's own retry.
    runnerClient.close();
    runnerClient = clientWithRetries(0);
    var running = runInBackground(spec(Duration.ofSeconds(20)));
    Job job = awaitJob();
    server.expect().get()
        .withPath("/apis/batch/v1/namespaces/" + NAMESPACE + "/jobs/" + job.getMetadata().getName())
        .andReturn(503, "etcd leader changed").times(4);
    // Three immediate attempts fail, the poll after that succeeds on its second attempt.
    awaitProgressLine("API error, retrying (1/3)");
    finishedPod(job, 0, OK_LOG);
    jobStatus(job, true);

    UpgradeJobResult result = running.get(15, TimeUnit.SECONDS);
    assertThat(result.outcome()).isEqualTo(UpgradeOutcome.SUCCEEDED);
    assertThat(progress).anyMatch(line -> line.contains("cannot read job " + job.getMetadata().getName()));
    assertCleanedUp();
  }

  private void awaitProgressLine(String part) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (progress.stream().noneMatch(line -> line.contains(part))) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("never reported '" + part + "'; reported " + progress);
      }
      Thread.sleep(10);
    }
  }

  @Test
  void failedJobWithNonZeroExitFails() throws Exception {
    var running = runInBackground(spec(Duration.ofSeconds(20)));
    Job job = awaitJob();
    finishedPod(job, 1, """
        2026-11-23 10:00:00,001 7 INFO shop_clone odoo.modules.loading: loading 84 modules...
        2026-11-23 10:00:01,002 7 CRITICAL shop_clone odoo.service.server: Failed to initialize database `shop_clone`.
        Traceback (most recent call last):
        psycopg2.errors.UndefinedColumn: column sale_order.x_legacy does not exist
        """);
    jobStatus(job, false);

    UpgradeJobResult result = running.get(15, TimeUnit.SECONDS);
    assertThat(result.outcome()).isEqualTo(UpgradeOutcome.FAILED);
    assertThat(result.passed()).isFalse();
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.detail()).contains("odoo exited with code 1").contains("BackoffLimitExceeded");
    assertThat(result.errorLines()).singleElement().asString().contains("CRITICAL").contains("Failed to initialize");
    assertThat(result.humanText()).contains("FAILED").contains("| 2026-11-23 10:00:01,002 7 CRITICAL");
    assertCleanedUp();
  }

  @Test
  void errorLineFailsAnUpgradeThatExitedZero() throws Exception {
    var running = runInBackground(spec(Duration.ofSeconds(20)));
    Job job = awaitJob();
    finishedPod(job, 0, OK_LOG + "2026-11-23 10:00:04,000 7 ERROR shop_clone odoo.modules.migration: "
        + "module shop_custom: Unable to run migration script 17.0.2.0/post-migrate.py\n");
    jobStatus(job, true);

    UpgradeJobResult result = running.get(15, TimeUnit.SECONDS);
    assertThat(result.outcome()).isEqualTo(UpgradeOutcome.LOG_ERRORS);
    assertThat(result.exitCode()).isZero();
    assertThat(result.detail()).contains("logged 1 ERROR/CRITICAL line").contains("post-migrate.py");
    assertCleanedUp();
  }

  @Test
  void imageThatCannotBePulledFailsWithoutWaitingForTheTimeout() throws Exception {
    var running = runInBackground(spec(Duration.ofSeconds(60)));
    Job job = awaitJob();
    client.pods().inNamespace(NAMESPACE).resource(new PodBuilder()
        .withNewMetadata().withName(job.getMetadata().getName() + "-p0d").withNamespace(NAMESPACE)
        .addToLabels(OdooUpgradeJob.JOB_NAME_LABEL, job.getMetadata().getName()).endMetadata()
        .withNewSpec().addNewContainer().withName("odoo").withImage(IMAGE).endContainer().endSpec()
        .withNewStatus().withPhase("Pending")
        .withContainerStatuses(new ContainerStatusBuilder().withName("odoo")
            .withNewState().withNewWaiting().withReason("ImagePullBackOff")
            .withMessage("Back-off pulling image").endWaiting().endState().build())
        .endStatus().build()).create();

    UpgradeJobResult result = running.get(15, TimeUnit.SECONDS);
    assertThat(result.outcome()).isEqualTo(UpgradeOutcome.FAILED);
    assertThat(result.detail()).contains("cannot start: ImagePullBackOff (Back-off pulling image)");
    assertThat(result.exitCode()).isNull();
    assertCleanedUp();
  }

  @Test
  void jobPastItsActiveDeadlineIsATimeout() throws Exception {
    var running = runInBackground(spec(Duration.ofSeconds(60)));
    Job job = awaitJob();
    jobStatus(job, false, "DeadlineExceeded");

    UpgradeJobResult result = running.get(15, TimeUnit.SECONDS);
    assertThat(result.outcome()).isEqualTo(UpgradeOutcome.TIMED_OUT);
    assertThat(result.detail()).contains("reached its deadline (60 s)");
    assertCleanedUp();
  }

  @Test
  void upgradeThatNeverFinishesTimesOutAndIsDeleted() {
    long start = System.nanoTime();
    UpgradeJobResult result = new OdooUpgradeJob(runnerClient, listener()).run(spec(Duration.ofSeconds(1)));

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    assertThat(result.outcome()).isEqualTo(UpgradeOutcome.TIMED_OUT);
    assertThat(result.pod()).isNull();
    assertThat(result.exitCode()).isNull();
    assertThat(result.detail()).contains("did not finish within PT1S");
    assertCleanedUp();
  }

  @Test
  void interruptedRunStillDeletesTheJobAndSecret() throws Exception {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
    Thread runner = new Thread(() -> {
      try {
        new OdooUpgradeJob(runnerClient, listener()).run(spec(Duration.ofSeconds(30)));
      } catch (Throwable t) {
        failure.set(t);
        stillInterrupted.set(Thread.currentThread().isInterrupted());
      }
    });
    runner.start();
    awaitJob();
    assertThat(client.secrets().inNamespace(NAMESPACE).list().getItems()).hasSize(1);

    runner.interrupt();
    runner.join(10_000);

    assertThat(runner.isAlive()).isFalse();
    assertThat(failure.get()).isInstanceOfSatisfying(ReleaseException.class, e -> {
      assertThat(e.kind()).isEqualTo(ReleaseException.Kind.INFRASTRUCTURE);
      assertThat(e.getMessage()).contains("interrupted");
    });
    assertThat(stillInterrupted.get()).as("the interrupt is passed on to the caller").isTrue();
    assertCleanedUp();
  }

  @Test
  void forbiddenNamespaceIsBadInput() {
    server.expect().post().withPath("/api/v1/namespaces/" + NAMESPACE + "/secrets").andReturn(403, "Forbidden")
        .always();

    assertThatThrownBy(() -> new OdooUpgradeJob(runnerClient, listener()).run(spec(Duration.ofSeconds(5))))
        .isInstanceOfSatisfying(ReleaseException.class, e -> {
          assertThat(e.kind()).isEqualTo(ReleaseException.Kind.BAD_INPUT);
          assertThat(e.getMessage()).contains("cannot create secret odoo-upgrade-").contains("403 Forbidden")
              .doesNotContain(PASSWORD);
        });
    assertThat(client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems()).isEmpty();
  }
}
