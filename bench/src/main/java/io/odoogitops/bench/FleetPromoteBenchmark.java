package io.odoogitops.bench;

import io.odoogitops.ImageDigest;
import io.odoogitops.fleet.FleetAdvance;
import io.odoogitops.fleet.FleetRollout;
import io.odoogitops.gitops.GitCredentials;
import io.odoogitops.gitops.GitOpsRemote;
import io.odoogitops.gitops.GitOpsRepository;
import io.odoogitops.ImageRef;
import io.odoogitops.gitops.Promotion;
import io.odoogitops.gitops.PromotionEngine;
import io.odoogitops.gitops.PromotionResult;
import io.odoogitops.gitops.RepositorySeed;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code bench/run fleet-promote [TENANTS]}: {@code fleet promote} of one wave of TENANTS tenants (default 200) against
 * git daemon on loopback — one chain of commits, one push — against the baseline of TENANTS sequential single
 * promotions ({@code PromotionEngine.promote}, each with its own fetch, commit and push) on an identical repository,
 * in the same run. Target: the wave at least 10 times faster.
 */
final class FleetPromoteBenchmark {

  private static final String REPO = "registry.example.com/acme/odoo";
  private static final ImageRef IMAGE = new ImageRef(REPO, "17.0-bench", new ImageDigest("sha256:" + "be".repeat(32)));

  private FleetPromoteBenchmark() {}

  static void main(String[] args) throws Exception {
    int tenants = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    Path work = Files.createTempDirectory("odoo-gitops-fleet-promote-");
    Path served = Files.createDirectories(work.resolve("served"));
    RepositorySeed.create(served.resolve("fleet.git"), "main", files(tenants), "initial GitOps repository");
    RepositorySeed.create(served.resolve("baseline.git"), "main", files(tenants), "initial GitOps repository");
    int port = GitOpsBenchmark.freePort();
    Process daemon = new ProcessBuilder("git", "daemon", "--reuseaddr", "--export-all", "--enable=receive-pack",
        "--base-path=" + served, "--listen=127.0.0.1", "--port=" + port, served.toString())
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    try {
      GitOpsBenchmark.waitForPort(port);
      System.out.printf("fleet promote: one wave of %d tenants vs. %d sequential promote calls, git daemon on"
          + " 127.0.0.1; load average before: %s%n", tenants, tenants, BurstBenchmark.loadAverage());

      double baseline;
      try (GitOpsRepository repo = open(port, "baseline.git", work.resolve("cache-baseline"))) {
        PromotionEngine engine = PromotionEngine.builder(repo).build();
        long t0 = System.nanoTime();
        int landed = 0;
        for (int i = 0; i < tenants; i++) {
          PromotionResult r = engine.promote(Promotion.builder(name(i), "odoo", IMAGE).initiator("bench").build());
          landed += r.outcome() == PromotionResult.Outcome.LANDED ? 1 : 0;
        }
        baseline = (System.nanoTime() - t0) / 1e9;
        System.out.printf("  baseline: %d sequential promotions landed in %.1f s, %.1f commits/s%n", landed,
            baseline, landed / baseline);
      }

      double wave;
      try (GitOpsRepository repo = open(port, "fleet.git", work.resolve("cache-fleet"))) {
        PromotionEngine engine = PromotionEngine.builder(repo).build();
        FleetRollout rollout = FleetRollout.builder(engine, repo).initiator("bench").build();
        long t0 = System.nanoTime();
        FleetAdvance result = rollout.advance("bench", IMAGE);
        wave = (System.nanoTime() - t0) / 1e9;
        System.out.printf("  fleet promote: %d promotions landed (%s) in %.1f s, %.1f commits/s (the run reads"
            + " every tenant's history before and after)%n", result.promoted().size(), result.outcome(), wave,
            result.promoted().size() / wave);
        if (result.promoted().size() != tenants) {
          throw new IllegalStateException("the wave promoted " + result.promoted().size() + " of " + tenants);
        }
      }
      System.out.printf("  ratio: fleet promote %.1fx faster (target >= 10x); load average after: %s%n",
          baseline / wave, BurstBenchmark.loadAverage());
    } finally {
      daemon.descendants().forEach(ProcessHandle::destroyForcibly);
      daemon.destroyForcibly();
      daemon.waitFor();
      GitOpsBenchmark.deleteTree(work);
    }
  }

  private static GitOpsRepository open(int port, String repo, Path cache) {
    return GitOpsRepository.open(new GitOpsRemote("git://127.0.0.1:" + port + "/" + repo, "main",
        GitCredentials.none(), cache));
  }

  private static String name(int i) {
    return String.format("t%03d", i);
  }

  /** Tenants t000.. without gates or freezes, all in one (canary) wave, so nothing but git sets the pace. */
  private static Map<String, String> files(int tenants) {
    StringBuilder config = new StringBuilder("timeZone: Europe/Brussels\napplications:\n  odoo: { image: " + REPO
        + " }\nenvironments:\n");
    Map<String, String> files = new LinkedHashMap<>();
    for (int i = 0; i < tenants; i++) {
      config.append("  ").append(name(i)).append(": { path: envs/").append(name(i))
          .append(", layout: kustomize, labels: { tier: shared } }\n");
      files.put("envs/" + name(i) + "/kustomization.yaml", "images:\n  - name: " + REPO + "\n    digest: sha256:"
          + "0".repeat(64) + "\n");
    }
    config.append("fleets:\n  bench:\n    waves:\n      - { name: all, canary: true, selector: { matchLabels: {"
        + " tier: shared } } }\n");
    files.put("odoo-gitops.yaml", config.toString());
    return files;
  }
}
