package io.odoogitops.cli;

import io.odoogitops.ReleaseException;
import io.odoogitops.gitops.RepositorySeed;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.eclipse.jgit.transport.Daemon;
import org.eclipse.jgit.transport.DaemonClient;
import org.eclipse.jgit.transport.resolver.FileResolver;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code odoo-gitops demo}: the release pipeline end to end on embedded defaults — a GitOps repository served on
 * loopback, promotions, history, one-step rollback — by running the real commands in-process and printing each one,
 * so a newcomer sees exactly what to type in their own pipeline.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run the release pipeline end to end on embedded defaults and explain each step.")
public final class DemoCommand implements Callable<Integer> {

  static final String APP_IMAGE = "registry.example.com/acme/odoo";

  @Spec CommandSpec spec;

  @Option(names = "--workspace", paramLabel = "DIR", description = "Where to create the demo (default: a new temp dir).")
  Path workspace;

  @Option(names = "--keep", description = "Keep the workspace for inspection (it is removed otherwise).")
  boolean keep;

  private PrintWriter out;
  private int step;

  @Override
  public Integer call() throws Exception {
    out = spec.commandLine().getOut();
    Path ws = workspace != null ? Files.createDirectories(workspace) : Files.createTempDirectory("odoo-gitops-demo-");
    Daemon daemon = null;
    try {
      Path served = Files.createDirectories(ws.resolve("git"));
      RepositorySeed.create(served.resolve("gitops.git"), "main", gitopsFiles(), "GitOps repository for the demo");
      daemon = serve(served);
      String url = "git://127.0.0.1:" + daemon.getAddress().getPort() + "/gitops.git";
      say("A GitOps repository with staging and production (kustomize) is served on loopback at " + url);
      List<String> repo = List.of("--repo", url, "--cache-dir", ws.resolve("cache").toString());

      String release1 = sampleImage("17.0-r1", "release 1");
      String release2 = sampleImage("17.0-r2", "release 2");
      say("Promote release 1 to staging, then to production.");
      run(repo, "promote", "--env", "staging", "--app", "odoo", "--image", release1, "--reason", "release 1",
          "--initiator", "ci-bot");
      run(repo, "promote", "--env", "production", "--app", "odoo", "--image", release1, "--reason", "release 1",
          "--initiator", "ci-bot");
      say("Promote release 2 the same way.");
      run(repo, "promote", "--env", "staging", "--app", "odoo", "--image", release2, "--reason", "release 2",
          "--initiator", "ci-bot");
      run(repo, "promote", "--env", "production", "--app", "odoo", "--image", release2, "--reason", "release 2",
          "--initiator", "ci-bot", "--promotion-id", "demo-release-2-production");
      say("Retrying the same promotion id is safe: it is recognised, nothing is committed twice.");
      run(repo, "promote", "--env", "production", "--app", "odoo", "--image", release2,
          "--promotion-id", "demo-release-2-production");
      say("The release history, read from commit trailers (plain 'git log' shows the same).");
      run(repo, "history", "--env", "production");
      say("Release 2 misbehaves in production: one-step rollback restores release 1.");
      run(repo, "rollback", "--env", "production", "--app", "odoo", "--reason", "invoices fail to post",
          "--initiator", "on-call");
      run(repo, "history", "--env", "production", "--limit", "3");
      say(keep ? "Done. The workspace is kept at " + ws + "; inspect the GitOps repository with\n   git --git-dir "
          + served.resolve("gitops.git") + " log --format=fuller"
          : "Done. The workspace was removed; pass --keep to inspect the GitOps repository with git log.");
      return 0;
    } finally {
      if (daemon != null) {
        daemon.stop();
      }
      if (!keep) {
        deleteTree(ws);
      }
      out.flush();
    }
  }

  private void run(List<String> repo, String command, String... args) {
    List<String> argv = new ArrayList<>();
    argv.add(command);
    argv.addAll(List.of(args));
    argv.addAll(repo);
    if (!command.equals("history")) {
      argv.addAll(List.of("--committer", "odoo-gitops demo <demo@localhost>"));
    }
    out.println("   $ odoo-gitops " + command + " " + String.join(" ", List.of(args).stream()
        .map(a -> a.contains(" ") ? "'" + a + "'" : a).toList()));
    CommandLine cli = Main.commandLine();
    cli.setOut(out);
    cli.setErr(spec.commandLine().getErr());
    int exit = cli.execute(argv.toArray(String[]::new));
    out.println();
    if (exit != 0) {
      throw new ReleaseException(exit == 1 ? ReleaseException.Kind.REFUSED : exit == 2
          ? ReleaseException.Kind.BAD_INPUT : ReleaseException.Kind.INFRASTRUCTURE,
          "demo step 'odoo-gitops " + command + "' failed with exit code " + exit);
    }
  }

  private void say(String text) {
    out.println((++step) + ". " + text);
    out.flush();
  }

  private static Daemon serve(Path base) throws IOException {
    Daemon daemon = new Daemon(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    daemon.getService("git-receive-pack").setEnabled(true);
    daemon.setRepositoryResolver(new FileResolver<DaemonClient>(base.toFile(), true));
    daemon.start();
    return daemon;
  }

  /** A digest derived from the release name, standing in until the image build joins the demo. */
  private static String sampleImage(String tag, String seed) throws NoSuchAlgorithmException {
    byte[] hash = MessageDigest.getInstance("SHA-256").digest(seed.getBytes(StandardCharsets.UTF_8));
    return APP_IMAGE + ":" + tag + "@sha256:" + HexFormat.of().formatHex(hash);
  }

  static Map<String, String> gitopsFiles() {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("odoo-gitops.yaml", """
        # Release configuration of the demo: reviewed like code.
        timeZone: Europe/Brussels
        applications:
          odoo: { image: %s }
        environments:
          staging:    { path: envs/staging,    layout: kustomize }
          production: { path: envs/production, layout: kustomize, promoteFrom: staging }
        """.formatted(APP_IMAGE));
    String kustomization = """
        apiVersion: kustomize.config.k8s.io/v1beta1
        kind: Kustomization
        resources:
          - ../../base
        images:
          # the Odoo image with the custom modules; odoo-gitops pins it by digest
          - name: %s
            newTag: "17.0-r0"
            digest: sha256:%s
        """.formatted(APP_IMAGE, "0".repeat(64));
    files.put("envs/staging/kustomization.yaml", kustomization);
    files.put("envs/production/kustomization.yaml", kustomization);
    files.put("base/kustomization.yaml", "resources:\n  - odoo.yaml\n");
    files.put("base/odoo.yaml", """
        apiVersion: apps/v1
        kind: Deployment
        metadata: { name: odoo }
        spec:
          template:
            spec:
              containers:
                - name: odoo
                  image: %s
        """.formatted(APP_IMAGE));
    return files;
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
