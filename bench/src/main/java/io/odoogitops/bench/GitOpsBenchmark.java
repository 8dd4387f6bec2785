package io.odoogitops.bench;

import io.odoogitops.ImageDigest;
import io.odoogitops.gitops.GitCredentials;
import io.odoogitops.gitops.GitOpsRemote;
import io.odoogitops.gitops.GitOpsRepository;
import io.odoogitops.ImageRef;
import io.odoogitops.gitops.Promotion;
import io.odoogitops.gitops.PromotionEngine;
import io.odoogitops.gitops.RollbackRequest;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Promotion and rollback latency on a GitOps repository with a long history, served by {@code git daemon} on
 * loopback, against the shell baseline a Jenkinsfile would otherwise run: {@code git clone} + {@code sed} +
 * {@code git commit} + {@code git push}. Both are measured in the same run on the same repository.
 */
final class GitOpsBenchmark {

  static final String IMAGE = "registry.example.com/acme/odoo";

  private GitOpsBenchmark() {}

  static void main(String[] args) throws Exception {
    int commits = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int files = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 15;
    Path work = Files.createTempDirectory("odoo-gitops-bench-");
    Path served = Files.createDirectories(work.resolve("served"));
    Path bare = served.resolve("gitops.git");
    System.out.printf("generating a GitOps repository: %,d commits, %,d manifest files ...%n", commits, files);
    long t0 = System.nanoTime();
    generate(bare, commits, files);
    System.out.printf("  generated in %.1f s (%s)%n", (System.nanoTime() - t0) / 1e9, bare);

    int port = freePort();
    Process daemon = new ProcessBuilder("git", "daemon", "--reuseaddr", "--export-all", "--enable=receive-pack",
        "--base-path=" + served, "--listen=127.0.0.1", "--port=" + port, served.toString())
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    try {
      waitForPort(port);
      String url = "git://127.0.0.1:" + port + "/gitops.git";
      Random random = new Random(42);

      List<Double> shell = new ArrayList<>();
      List<Double> shellShallow = new ArrayList<>();
      int baselineRounds = Math.max(3, rounds / 5);
      for (int i = 0; i < baselineRounds; i++) {
        Path full = work.resolve("shell-" + i);
        Path shallow = work.resolve("shallow-" + i);
        shell.add(seconds(() -> shellPromotion(url, full, false, digest(random))));
        shellShallow.add(seconds(() -> shellPromotion(url, shallow, true, digest(random))));
      }

      GitOpsRemote remote = new GitOpsRemote(url, "main", GitCredentials.none(), work.resolve("cache"));
      double cold;
      List<Double> warm = new ArrayList<>();
      List<Double> rollback = new ArrayList<>();
      try (GitOpsRepository repo = GitOpsRepository.open(remote)) {
        PromotionEngine engine = PromotionEngine.builder(repo).build();
        cold = seconds(() -> engine.promote(promotion(digest(random))));
        List<Double> fetchOnly = new ArrayList<>();
        List<Double> historyOnly = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
          fetchOnly.add(seconds(() -> engine.queries().current("production", "odoo")));
          historyOnly.add(seconds(() -> engine.queries().history("production", "odoo", 5)));
        }
        System.out.printf("  breakdown: fetch+read manifest p50 %.3f s, fetch+history(5) p50 %.3f s%n",
            median(fetchOnly), median(historyOnly));
        for (int i = 0; i < rounds; i++) {
          warm.add(seconds(() -> engine.promote(promotion(digest(random)))));
          rollback.add(seconds(() -> engine.rollback(RollbackRequest.builder("production", "odoo").reason("bench")
              .initiator("bench").build())));
        }
      }

      double shellP50 = median(shell);
      double shallowP50 = median(shellShallow);
      double warmP50 = median(warm);
      double rollbackP50 = median(rollback);
      System.out.println();
      System.out.printf("%-48s %10s%n", "measurement (loopback git daemon)", "seconds");
      System.out.printf("%-48s %10.3f%n", "baseline: git clone + sed + commit + push (p50)", shellP50);
      System.out.printf("%-48s %10.3f%n", "baseline: git clone --depth 1 + ... (p50)", shallowP50);
      System.out.printf("%-48s %10.3f%n", "odoo-gitops promote, cold cache", cold);
      System.out.printf("%-48s %10.3f%n", "odoo-gitops promote, warm cache (p50)", warmP50);
      System.out.printf("%-48s %10.3f%n", "odoo-gitops promote, warm cache (p90)", percentile(warm, 0.9));
      System.out.printf("%-48s %10.3f%n", "odoo-gitops rollback, warm cache (p50)", rollbackP50);
      System.out.println();
      System.out.printf("ratio warm promote vs full-clone baseline:    %6.1fx faster (target >= 10x)%n",
          shellP50 / warmP50);
      System.out.printf("ratio warm promote vs shallow-clone baseline: %6.1fx faster%n", shallowP50 / warmP50);
      System.out.printf("ratio cold promote vs full-clone baseline:    %6.1fx%n", shellP50 / cold);
      System.out.printf("rollback p50: %.3f s (target < 1 s)%n", rollbackP50);
    } finally {
      // `git daemon` runs git-daemon as a child; killing only the wrapper would leave the server running.
      daemon.descendants().forEach(ProcessHandle::destroyForcibly);
      daemon.destroyForcibly();
      daemon.waitFor();
      deleteTree(work);
    }
  }

  private static Promotion promotion(String digest) {
    return Promotion.builder("production", "odoo", new ImageRef(IMAGE, null, new ImageDigest(digest))).reason("bench").build();
  }

  private static void shellPromotion(String url, Path dir, boolean shallow, String digest) {
    String script = "set -e; git clone -q " + (shallow ? "--depth 1 " : "") + url + " " + dir + "; cd " + dir
        + "; sed -i 's/digest: sha256:.*/digest: " + digest + "/' envs/production/kustomization.yaml"
        + "; git -c user.name=ci -c user.email=ci@example.com commit -qam 'promote odoo to production'"
        + "; git push -q origin HEAD:main";
    run("bash", "-c", script);
  }

  /** Writes the repository with git fast-import: far quicker than 20k porcelain commits. */
  private static void generate(Path bare, int commits, int files) throws Exception {
    run("git", "init", "-q", "--bare", "-b", "main", bare.toString());
    Process p = new ProcessBuilder("git", "--git-dir=" + bare, "fast-import", "--quiet")
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    Random random = new Random(7);
    long time = 1_700_000_000L;
    try (OutputStream out = new BufferedOutputStream(p.getOutputStream(), 1 << 20)) {
      StringBuilder first = new StringBuilder();
      first.append(commitHeader(1, time, "initial GitOps repository"));
      first.append(inline("odoo-gitops.yaml", """
          applications:
            odoo: { image: %s }
          environments:
            production: { path: envs/production, layout: kustomize }
          """.formatted(IMAGE)));
      first.append(inline("envs/production/kustomization.yaml", kustomization(digest(random))));
      for (int f = 0; f < files - 2; f++) {
        first.append(inline(appFile(f), manifest(f, 0)));
      }
      out.write(first.toString().getBytes(StandardCharsets.UTF_8));
      for (int c = 2; c <= commits; c++) {
        StringBuilder commit = new StringBuilder();
        time += 600;
        if (c % 100 == 0) {
          String digest = digest(random);
          commit.append(commitHeader(c, time, "promote odoo to production\n\nPromotion-Id: gen-" + c
              + "\nEnvironment: production\nApplication: odoo\nImage: " + IMAGE + "@" + digest
              + "\nImage-Digest: " + digest + "\n"));
          commit.append("from :").append(c - 1).append('\n');
          commit.append(inline("envs/production/kustomization.yaml", kustomization(digest)));
        } else {
          int f = random.nextInt(files - 2);
          commit.append(commitHeader(c, time, "update app " + f));
          commit.append("from :").append(c - 1).append('\n');
          commit.append(inline(appFile(f), manifest(f, c)));
        }
        out.write(commit.toString().getBytes(StandardCharsets.UTF_8));
      }
    }
    if (p.waitFor() != 0) {
      throw new IllegalStateException("git fast-import failed");
    }
    run("git", "--git-dir=" + bare, "gc", "-q");
  }

  private static String commitHeader(int mark, long time, String message) {
    byte[] msg = message.getBytes(StandardCharsets.UTF_8);
    return "commit refs/heads/main\nmark :" + mark + "\ncommitter Bench <bench@example.com> " + time + " +0000\n"
        + "data " + msg.length + "\n" + message + "\n";
  }

  private static String inline(String path, String content) {
    return "M 100644 inline " + path + "\ndata " + content.getBytes(StandardCharsets.UTF_8).length + "\n" + content
        + "\n";
  }

  private static String appFile(int f) {
    return String.format("apps/team-%02d/app-%04d/deployment.yaml", f % 40, f);
  }

  private static String manifest(int f, int revision) {
    return "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-" + f + "\n  annotations:\n"
        + "    revision: \"" + revision + "\"\nspec:\n  replicas: 2\n";
  }

  private static String kustomization(String digest) {
    return "resources:\n  - ../../base\nimages:\n  - name: " + IMAGE + "\n    digest: " + digest + "\n";
  }

  private static String digest(Random random) {
    StringBuilder hex = new StringBuilder("sha256:");
    for (int i = 0; i < 64; i++) {
      hex.append(Character.forDigit(random.nextInt(16), 16));
    }
    return hex.toString();
  }

  private static double seconds(Runnable action) {
    long start = System.nanoTime();
    action.run();
    return (System.nanoTime() - start) / 1e9;
  }

  private static double median(List<Double> values) {
    return percentile(values, 0.5);
  }

  static double percentile(List<Double> values, double p) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.floor(p * sorted.size())));
  }

  private static void run(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static void waitForPort(int port) throws Exception {
    for (int i = 0; i < 200; i++) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 100);
        return;
      } catch (IOException e) {
        Thread.sleep(50);
      }
    }
    throw new IllegalStateException("git daemon did not start");
  }

  static void deleteTree(Path root) throws IOException {
    try (var paths = Files.walk(root)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

}
