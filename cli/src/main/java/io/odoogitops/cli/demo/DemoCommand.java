package io.odoogitops.cli.demo;

import io.odoogitops.ReleaseException;
import io.odoogitops.cli.Main;
import io.odoogitops.config.ConfigLoader;
import io.odoogitops.config.ReleaseConfig;
import io.odoogitops.gitops.RepositorySeed;
import io.odoogitops.policy.ReleasePolicy;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
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
 * loopback, the gate refusing and then accepting, the month-end freeze refusing, promotions, history and a one-step
 * rollback — by running the real commands in-process and printing each one, so a newcomer sees exactly what to type in
 * their own pipeline.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run the release pipeline end to end on embedded defaults and explain each step.")
public final class DemoCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--workspace", paramLabel = "DIR", description = "Where to create the demo (default: a new temp dir).")
  Path workspace;

  @Option(names = "--keep", description = "Keep the workspace for inspection (it is removed otherwise).")
  boolean keep;

  @Option(names = "--at", paramLabel = "TIME",
      description = "The clock for freeze decisions, e.g. 2026-11-18T10:00:00Z (default: now).")
  String at;

  private PrintWriter out;
  private int step;
  private List<String> repo;

  @Override
  public Integer call() throws Exception {
    out = spec.commandLine().getOut();
    Instant now = at == null ? Instant.now() : parseInstant(at);
    Path ws = workspace != null ? Files.createDirectories(workspace) : Files.createTempDirectory("odoo-gitops-demo-");
    Daemon daemon = null;
    try {
      Path served = Files.createDirectories(ws.resolve("git"));
      RepositorySeed.create(served.resolve("gitops.git"), "main", DemoGitOpsRepository.files(),
          "GitOps repository for the demo");
      daemon = serve(served);
      String url = "git://127.0.0.1:" + daemon.getAddress().getPort() + "/gitops.git";
      repo = List.of("--repo", url, "--cache-dir", ws.resolve("cache").toString());
      say("A GitOps repository is served on loopback at " + url + ".\n   Its odoo-gitops.yaml gates production"
          + " (2 of 3 release managers, four eyes, promoted from staging) and freezes it around month-end close.");

      ReleasePolicy policy = ReleasePolicy.of(ConfigLoader.load(DemoGitOpsRepository.CONFIG
          .formatted(DemoGitOpsRepository.IMAGE).getBytes(StandardCharsets.UTF_8), ReleaseConfig.FILE_NAME));
      ZoneId zone = policy.zone();
      Instant open = policy.status("production", now).frozen()
          ? policy.nextOpen("production", now).orElseThrow() : now;
      Instant closing = policy.windows("production", open, open.plus(Duration.ofDays(62))).stream()
          .filter(w -> w.window().equals("month-end close")).findFirst().orElseThrow().start()
          .plus(Duration.ofHours(10));

      String release1 = sampleImage("17.0-r1", "release 1");
      String release2 = sampleImage("17.0-r2", "release 2");
      say("Release 1 goes to staging: no gate there.");
      run("promote", "--env", "staging", "--app", "odoo", "--image", release1, "--reason", "release 1",
          "--initiator", "ci-bot", "--at", iso(open));

      say("Production refuses it without approvals.");
      expect(1, "gate", "check", "--env", "production", "--app", "odoo", "--digest", digestOf(release1),
          "--initiator", "carol", "--at", iso(open));

      Path votes = ws.resolve("approvals-r1.yaml");
      writeApprovals(votes, digestOf(release1), open.minus(Duration.ofMinutes(30)), "carol", "dave", "erin");
      say("Release managers vote (" + votes.getFileName() + "): carol, dave and erin approve. carol started the"
          + " promotion, so four eyes counts only dave and erin.");
      run("promote", "--env", "production", "--app", "odoo", "--image", release1, "--reason", "release 1",
          "--initiator", "carol", "--approvals", votes.toString(), "--at", iso(open));

      say("Release 2 reaches staging; its production promotion is attempted during month-end close ("
          + local(closing, zone) + ").");
      run("promote", "--env", "staging", "--app", "odoo", "--image", release2, "--reason", "release 2",
          "--initiator", "ci-bot", "--at", iso(closing));
      Path votes2 = ws.resolve("approvals-r2.yaml");
      writeApprovals(votes2, digestOf(release2), closing.minus(Duration.ofMinutes(30)), "dave", "erin");
      expect(1, "promote", "--env", "production", "--app", "odoo", "--image", release2, "--reason", "release 2",
          "--initiator", "carol", "--approvals", votes2.toString(), "--at", iso(closing));
      say("The freeze says when production opens again.");
      run("freeze", "status", "--env", "production", "--at", iso(closing));

      Instant reopened = policy.nextOpen("production", closing).orElseThrow().plus(Duration.ofHours(1));
      Path votes3 = ws.resolve("approvals-r2-after-close.yaml");
      writeApprovals(votes3, digestOf(release2), reopened.minus(Duration.ofMinutes(30)), "dave", "erin");
      say("After the close (" + local(reopened, zone) + ") release 2 goes to production, freshly approved.");
      run("promote", "--env", "production", "--app", "odoo", "--image", release2, "--reason", "release 2",
          "--initiator", "carol", "--approvals", votes3.toString(), "--at", iso(reopened),
          "--promotion-id", "demo-release-2-production");
      say("Retrying the same promotion id is safe: it is recognised, nothing is committed twice.");
      run("promote", "--env", "production", "--app", "odoo", "--image", release2, "--initiator", "carol",
          "--approvals", votes3.toString(), "--at", iso(reopened), "--promotion-id", "demo-release-2-production");

      say("The release history, read from commit trailers (plain 'git log' shows the same).");
      run("history", "--env", "production");
      say("Release 2 misbehaves: one-step rollback restores release 1. Rollbacks pass freezes, so this works even"
          + " during the next close.");
      Instant nextClose = policy.windows("production", reopened, reopened.plus(Duration.ofDays(62))).stream()
          .filter(w -> w.start().isAfter(reopened)).findFirst().orElseThrow().start().plus(Duration.ofHours(2));
      run("rollback", "--env", "production", "--app", "odoo", "--reason", "invoices fail to post",
          "--initiator", "on-call", "--at", iso(nextClose));
      run("history", "--env", "production", "--limit", "3");
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

  private void run(String... args) {
    expect(0, args);
  }

  /** Runs one command as a user would type it; the demo fails if it does not end as the step says it should. */
  private void expect(int exitCode, String... args) {
    List<String> argv = new ArrayList<>(List.of(args));
    String command = args[0];
    if (!command.equals("gate") && !command.equals("freeze")) {
      argv.addAll(repo);
      if (!command.equals("history")) {
        argv.addAll(List.of("--committer", "odoo-gitops demo <demo@localhost>"));
      }
    } else {
      argv.addAll(repo);
    }
    out.println("   $ odoo-gitops " + String.join(" ", List.of(args).stream()
        .map(a -> a.contains(" ") ? "'" + a + "'" : a).toList()));
    out.flush();
    CommandLine cli = Main.commandLine();
    cli.setOut(out);
    cli.setErr(out);
    int exit = cli.execute(argv.toArray(String[]::new));
    out.println(exit == 0 ? "" : "   (exit " + exit + ")\n");
    if (exit != exitCode) {
      throw new ReleaseException(ReleaseException.Kind.INFRASTRUCTURE, "demo step 'odoo-gitops " + command
          + "' ended with exit code " + exit + ", expected " + exitCode);
    }
  }

  private void say(String text) {
    out.println((++step) + ". " + text);
    out.flush();
  }

  private static void writeApprovals(Path file, String digest, Instant at, String... voters) throws IOException {
    StringBuilder yaml = new StringBuilder("# votes cast on the approval page; bound to one digest\n");
    for (String voter : voters) {
      yaml.append("- voter: ").append(voter).append("\n  environment: production\n  application: odoo\n")
          .append("  digest: ").append(digest).append("\n  at: ").append(iso(at)).append("\n  vote: APPROVE\n");
    }
    Files.writeString(file, yaml);
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
    return DemoGitOpsRepository.IMAGE + ":" + tag + "@sha256:" + HexFormat.of().formatHex(hash);
  }

  private static String digestOf(String reference) {
    return reference.substring(reference.indexOf('@') + 1);
  }

  private static String iso(Instant instant) {
    return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
  }

  private static String local(Instant instant, ZoneId zone) {
    return DateTimeFormatter.ofPattern("EEE yyyy-MM-dd HH:mm z").format(instant.atZone(zone));
  }

  private static Instant parseInstant(String text) {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (java.time.DateTimeException e) {
      throw ReleaseException.badInput("--at '" + text + "' is not an instant; write e.g. 2026-11-18T10:00:00Z");
    }
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
