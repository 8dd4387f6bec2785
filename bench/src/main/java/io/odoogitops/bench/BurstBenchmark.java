package io.odoogitops.bench;

import io.odoogitops.gitops.GitCredentials;
import io.odoogitops.gitops.GitOpsRemote;
import io.odoogitops.gitops.GitOpsRepository;
import io.odoogitops.ImageRef;
import io.odoogitops.gitops.Promotion;
import io.odoogitops.gitops.PromotionEngine;
import io.odoogitops.gitops.PromotionResult;
import io.odoogitops.gitops.RepositorySeed;
import io.odoogitops.gitops.Trailers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * A burst of promoters against one GitOps branch, as a release day with many CI agents produces: half promote one
 * application each (different applications), half promote the same application (different digests). Every promoter
 * has its own cache clone, as separate agents would; with {@code --processes} every promoter is its own JVM too.
 * Reports how many landed, duplicates on the branch, and latency percentiles from the common start, with the engine's
 * default retry policy (full-jitter backoff until the retry deadline).
 */
final class BurstBenchmark {

  private static final String REPO = "registry.example.com/acme/";

  private BurstBenchmark() {}

  static void main(String[] args) throws Exception {
    int promoters = 100;
    boolean processes = false;
    int maxConnections = 0;
    for (String a : args) {
      if (a.equals("--processes")) {
        processes = true;
      } else if (a.equals("--daemon-limit")) {
        maxConnections = 32;
      } else {
        promoters = Integer.parseInt(a);
      }
    }
    int distinct = promoters / 2;
    Path work = Files.createTempDirectory("odoo-gitops-burst-");
    Path served = Files.createDirectories(work.resolve("served"));
    RepositorySeed.create(served.resolve("gitops.git"), "main", files(distinct), "initial GitOps repository");
    int port = GitOpsBenchmark.freePort();
    // git daemon serves 32 clients at a time by default and drops the rest at once ("push not permitted", "Invalid
    // remote"); a hosted git server queues or answers 5xx instead. --daemon-limit keeps the default to show it.
    Process daemon = new ProcessBuilder("git", "daemon", "--reuseaddr", "--export-all", "--enable=receive-pack",
        "--max-connections=" + maxConnections, "--base-path=" + served, "--listen=127.0.0.1", "--port=" + port, served.toString())
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    try {
      GitOpsBenchmark.waitForPort(port);
      String url = "git://127.0.0.1:" + port + "/gitops.git";
      List<String[]> jobs = new ArrayList<>();
      for (int i = 0; i < promoters; i++) {
        String app = i < distinct ? "app" + i : "odoo";
        jobs.add(new String[] {url, work.resolve("agent-" + i).toString(), app,
            REPO + app + "@sha256:" + String.format("%064x", 1_000 + i), "burst-" + i});
      }
      System.out.printf("burst: %d promoters (%d on %d different applications, %d on one application), one cache"
          + " each, %s, git daemon --max-connections=%d; load average before: %s%n", promoters, distinct, distinct,
          promoters - distinct, processes ? "one JVM each" : "threads of one JVM", maxConnections, loadAverage());
      long t0 = System.nanoTime();
      List<Outcome> outcomes = processes ? inProcesses(jobs) : inThreads(jobs);
      double wall = (System.nanoTime() - t0) / 1e9;
      report(outcomes, served.resolve("gitops.git"), promoters, wall);
    } finally {
      daemon.descendants().forEach(ProcessHandle::destroyForcibly);
      daemon.destroyForcibly();
      daemon.waitFor();
      GitOpsBenchmark.deleteTree(work);
    }
  }

  /** One promoter in its own JVM: {@code burst-one URL CACHE APP IMAGE ID START_EPOCH_MS}; prints one result line. */
  static void one(String[] args) throws Exception {
    long startAt = Long.parseLong(args[5]);
    Thread.sleep(Math.max(0, startAt - System.currentTimeMillis()));
    Outcome o = promote(args, startAt);
    System.out.println("RESULT " + o.outcome + " " + o.seconds + " " + o.attempts + " " + o.error);
  }

  private static List<Outcome> inThreads(List<String[]> jobs) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(jobs.size());
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Outcome>> futures = new ArrayList<>();
    for (String[] job : jobs) {
      futures.add(pool.submit(() -> {
        go.await();
        return promote(job, System.currentTimeMillis());
      }));
    }
    go.countDown();
    List<Outcome> out = new ArrayList<>();
    for (Future<Outcome> f : futures) {
      out.add(f.get());
    }
    pool.shutdown();
    return out;
  }

  private static List<Outcome> inProcesses(List<String[]> jobs) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath = System.getProperty("java.class.path");
    // Every JVM is started first; they all begin promoting at the same instant, so start-up is not measured.
    long startAt = System.currentTimeMillis() + 20_000L + 200L * jobs.size();
    List<Process> children = new ArrayList<>();
    for (String[] job : jobs) {
      List<String> command = new ArrayList<>(List.of(java, "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp", classpath,
          Bench.class.getName(), "burst-one"));
      command.addAll(List.of(job));
      command.add(Long.toString(startAt));
      children.add(new ProcessBuilder(command).redirectErrorStream(true).start());
    }
    List<Outcome> out = new ArrayList<>();
    for (Process child : children) {
      String text = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      child.waitFor(15, TimeUnit.MINUTES);
      String line = text.lines().filter(l -> l.startsWith("RESULT ")).findFirst().orElse(null);
      if (line == null) {
        out.add(new Outcome("CRASHED", Double.NaN, 0, text.strip().replace('\n', ' ')));
      } else {
        String[] f = line.split(" ", 5);
        out.add(new Outcome(f[1], Double.parseDouble(f[2]), Integer.parseInt(f[3]), f.length > 4 ? f[4] : ""));
      }
    }
    return out;
  }

  private static Outcome promote(String[] job, long startMillis) {
    GitOpsRemote remote = new GitOpsRemote(job[0], "main", GitCredentials.none(), Path.of(job[1]));
    try (GitOpsRepository repo = GitOpsRepository.open(remote)) {
      PromotionResult r = PromotionEngine.builder(repo).build().promote(
          Promotion.builder("production", job[2], ImageRef.parse(job[3])).promotionId(job[4]).reason("burst").build());
      return new Outcome(r.outcome().name(), (System.currentTimeMillis() - startMillis) / 1e3, r.attempts(), "");
    } catch (RuntimeException e) {
      return new Outcome("FAILED", (System.currentTimeMillis() - startMillis) / 1e3, 0,
          String.valueOf(e.getMessage()).replace('\n', ' '));
    }
  }

  private static void report(List<Outcome> outcomes, Path served, int promoters, double wall) throws Exception {
    Map<String, Integer> ids = new HashMap<>();
    int commits = 0;
    try (Git git = Git.open(served.toFile())) {
      for (RevCommit c : git.log().call()) {
        commits++;
        c.getFooterLines(Trailers.PROMOTION_ID).forEach(id -> ids.merge(id, 1, Integer::sum));
      }
    }
    long landed = outcomes.stream().filter(o -> o.outcome.equals("LANDED")).count();
    long duplicates = ids.values().stream().filter(n -> n > 1).mapToLong(n -> n - 1).sum();
    List<Double> latency = outcomes.stream().filter(o -> o.outcome.equals("LANDED")).map(o -> o.seconds).toList();
    List<Double> attempts = outcomes.stream().filter(o -> o.outcome.equals("LANDED"))
        .map(o -> (double) o.attempts).toList();
    Map<String, Long> byOutcome = new LinkedHashMap<>();
    outcomes.forEach(o -> byOutcome.merge(o.outcome, 1L, Long::sum));
    System.out.printf("landed %d/%d (outcomes %s), promotion commits on the branch %d (ids %d), duplicates %d%n",
        landed, promoters, byOutcome, commits - 1, ids.size(), duplicates);
    if (!latency.isEmpty()) {
      System.out.printf("latency from the common start: p50 %.2f s, p99 %.2f s, max %.2f s; attempts p50 %.0f,"
              + " max %.0f; wall %.1f s%n", GitOpsBenchmark.percentile(latency, 0.5),
          GitOpsBenchmark.percentile(latency, 0.99), GitOpsBenchmark.percentile(latency, 1.0),
          GitOpsBenchmark.percentile(attempts, 0.5), GitOpsBenchmark.percentile(attempts, 1.0), wall);
    }
    outcomes.stream().filter(o -> !o.outcome.equals("LANDED")).limit(5)
        .forEach(o -> System.out.println("  not landed: " + o.outcome + " " + o.error));
    System.out.printf("target: %d/%d landed, 0 duplicates: %s; load average after: %s%n", promoters, promoters,
        landed == promoters && duplicates == 0 ? "met" : "NOT met", loadAverage());
  }

  private static Map<String, String> files(int distinct) {
    StringBuilder config = new StringBuilder("applications:\n  odoo: { image: " + REPO + "odoo }\n");
    StringBuilder images = new StringBuilder("apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
        + "resources:\n  - ../../base\nimages:\n  - name: " + REPO + "odoo\n    digest: sha256:" + "0".repeat(64)
        + "\n");
    for (int i = 0; i < distinct; i++) {
      config.append("  app").append(i).append(": { image: ").append(REPO).append("app").append(i).append(" }\n");
      images.append("  - name: ").append(REPO).append("app").append(i).append("\n    digest: sha256:")
          .append("0".repeat(64)).append('\n');
    }
    config.append("environments:\n  production: { path: envs/production, layout: kustomize }\n");
    Map<String, String> files = new LinkedHashMap<>();
    files.put("odoo-gitops.yaml", config.toString());
    files.put("envs/production/kustomization.yaml", images.toString());
    return files;
  }

  static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).strip();
    } catch (IOException e) {
      return "unknown";
    }
  }

  private record Outcome(String outcome, double seconds, int attempts, String error) {}
}
