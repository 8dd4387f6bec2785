package io.odoogitops.cli.demo;

import io.odoogitops.ImageDigest;
import io.odoogitops.ImageRef;
import io.odoogitops.ReleaseException;
import io.odoogitops.cli.Main;
import io.odoogitops.config.ConfigLoader;
import io.odoogitops.config.ReleaseConfig;
import io.odoogitops.dryrun.clone.PgClientTools;
import io.odoogitops.gitops.RepositorySeed;
import io.odoogitops.policy.ReleasePolicy;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * rollback — by running the real commands in-process and printing each one, so a newcomer sees exactly what to type
 * in their own pipeline. It runs the product as it is meant to be run: signed votes, signed dry-run reports, a signed
 * policy and signed promotions checked against a trust root, so no decision of the demo is advisory.
 */
@Command(name = "demo",
    description = "Run the release pipeline end to end on embedded defaults and explain each step.")
public final class DemoCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--workspace", paramLabel = "DIR",
      description = "Where to create the demo (default: a new temp dir).")
  Path workspace;

  @Option(names = "--keep", description = "Keep the workspace for inspection (it is removed otherwise).")
  boolean keep;

  @Option(names = "--at", paramLabel = "TIME",
      description = "Where the demo's own calendar starts, e.g. 2026-11-18T10:00:00Z (default: now). It moves the"
          + " clock of the demo's in-process commands only; promote and rollback have no such flag.")
  String at;

  private static final java.util.Set<String> USES_REPOSITORY = java.util.Set.of("promote", "rollback", "history",
      "gate", "freeze", "approve", "reject", "audit");

  private static final Pattern BUILT = Pattern.compile("^built (\\S+)$", Pattern.MULTILINE);
  private static final Pattern TAG = Pattern.compile("\\n\\s+tag (\\S+)");
  private static final Pattern FROM_BASE = Pattern.compile("from the base image: ([^\\n]+)");

  /** What the last build said the base image provides, for the dry-run's upgrade plan. */
  private String baseModules = "";

  private PrintWriter out;
  private int step;
  /** What promote and rollback take as "now" in this demo. */
  private Instant clock = Instant.now();
  private List<String> repo;
  private Path ws;
  private DemoKeys keys;
  private Path trustRoot;

  @Override
  public Integer call() throws Exception {
    out = spec.commandLine().getOut();
    Instant now = at == null ? Instant.now() : parseInstant(at);
    clock = now;
    ws = workspace != null ? Files.createDirectories(workspace) : Files.createTempDirectory("odoo-gitops-demo-");
    Daemon daemon = null;
    DemoDatabase production = null;
    try {
      keys = DemoKeys.generate(ws.resolve("keys"));
      trustRoot = keys.writeTrustRoot(ws.resolve("trust-root"));
      Path served = Files.createDirectories(ws.resolve("git"));
      // dated before the demo's calendar starts, so that the history reads in order
      RepositorySeed.create(served.resolve("gitops.git"), "main", DemoGitOpsRepository.seed(keys),
          now.minus(Duration.ofDays(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
      daemon = serve(served);
      String url = "git://127.0.0.1:" + daemon.getAddress().getPort() + "/gitops.git";
      repo = List.of("--repo", url, "--cache-dir", ws.resolve("cache").toString());
      DemoModules modules = DemoModules.release1(ws.resolve("acme-modules"));
      Path base = DemoBaseImage.write(ws.resolve("base"));
      say("The workspace is " + ws + ":\n"
          + "   - a module repository (acme-modules) with two Odoo modules and three SQL migrations\n"
          + "   - a GitOps repository served on loopback at " + url + "; its odoo-gitops.yaml gates production\n"
          + "     (2 of 3 release managers, four eyes, a dry-run, promoted from staging) and freezes it around\n"
          + "     month-end close\n"
          + "   - a stand-in Odoo base image as an archive, so the build needs no registry\n"
          + "   - keys/: SSH keys made for the demo (their .pub files are public, the others never leave keys/):\n"
          + holders()
          + "   - trust-root: who may sign the policy (alice) and promotions (release-bot); it lives outside the\n"
          + "     GitOps repository, so whoever can push there still cannot change it. release-bot signed the\n"
          + "     initial environments, alice the odoo-gitops.yaml that lists the voters' and CI's keys\n"
          + "   Paths in the commands below are relative to the workspace.");
      production = DemoDatabase.start(ws);
      say("The production database runs on an embedded PostgreSQL (" + DemoDatabase.JOURNAL_ITEMS
          + " journal items). It will only ever be read.");

      ReleasePolicy policy = ReleasePolicy.of(ConfigLoader.load(DemoGitOpsRepository.config(keys)
          .getBytes(StandardCharsets.UTF_8), ReleaseConfig.FILE_NAME));
      ZoneId zone = policy.zone();
      Instant open = policy.status("production", now).frozen()
          ? policy.nextOpen("production", now).orElseThrow() : now;
      Instant closing = policy.windows("production", open, open.plus(Duration.ofDays(62))).stream()
          .filter(w -> w.window().equals("month-end close")).findFirst().orElseThrow().start()
          .plus(Duration.ofHours(10));

      say("Build release 1: one layer per module, base pinned by digest, written to an OCI archive.");
      String release1 = build(modules, base, ws.resolve("images/release-1.tar"));
      say("Dry-run release 1 on a neutralized clone of production: what would the migrations cost? CI signs the"
          + " report (dry-run.json.sig), so a hand-typed report cannot pass the gate.");
      Path report1 = dryRun(production, modules, release1, ws.resolve("reports/release-1"));

      say("Release 1 goes to staging: no gate there, but the commit is signed with the release key.");
      clock(open, zone);
      run("promote", "--env", "staging", "--app", "odoo", "--image", release1, "--reason", "release 1",
          "--initiator", "ci-bot");
      say("Production refuses it without approvals.");
      expect(1, "gate", "check", "--env", "production", "--app", "odoo", "--digest", digestOf(release1).value(),
          "--initiator", "carol", "--dry-run-report", report1.toString(), "--at", iso(open));
      Path forged = ws.resolve("approvals-by-mallory.yaml");
      writeApprovals(forged, digestOf(release1), open.minus(Duration.ofMinutes(30)), "dave", "erin");
      say("mallory, who can push but holds no role, hand-writes votes of dave and erin (" + forged.getFileName()
          + "): they carry no signature, so they are not counted and the gate still refuses.");
      expect(1, "gate", "check", "--env", "production", "--app", "odoo", "--digest", digestOf(release1).value(),
          "--initiator", "carol", "--dry-run-report", report1.toString(), "--approvals", forged.toString(),
          "--at", iso(open));
      say("dave and erin approve with their own keys; the signed votes are pushed under votes/ in the GitOps"
          + " repository. carol started the promotion, so four eyes would not count her vote.");
      vote(release1, "dave", "erin");
      run("promote", "--env", "production", "--app", "odoo", "--image", release1, "--reason", "release 1",
          "--initiator", "carol", "--dry-run-report", report1.toString());

      modules.release2();
      say("Release 2 (acme_billing 17.0.1.2.0, one more migration): build, dry-run, staging.");
      String release2 = build(modules, base, ws.resolve("images/release-2.tar"));
      Path report2 = dryRun(production, modules, release2, ws.resolve("reports/release-2"));
      clock(closing, zone);
      run("promote", "--env", "staging", "--app", "odoo", "--image", release2, "--reason", "release 2",
          "--initiator", "ci-bot");
      say("Its production promotion is attempted during month-end close (" + local(closing, zone) + "): dave and"
          + " erin approve, the freeze refuses.");
      vote(release2, "dave", "erin");
      expect(1, "promote", "--env", "production", "--app", "odoo", "--image", release2, "--reason", "release 2",
          "--initiator", "carol", "--dry-run-report", report2.toString());
      say("The freeze says when production opens again ('freeze status --at' asks about any time; promote and"
          + " rollback always decide on the real clock).");
      run("freeze", "status", "--env", "production", "--at", iso(closing));

      Instant reopened = policy.nextOpen("production", closing).orElseThrow().plus(Duration.ofHours(1));
      say("After the close (" + local(reopened, zone) + ") release 2 goes to production, freshly approved (a vote"
          + " lasts 7 days here).");
      List<String> promote2 = List.of("promote", "--env", "production", "--app", "odoo", "--image", release2,
          "--reason", "release 2", "--initiator", "carol", "--dry-run-report", report2.toString(),
          "--promotion-id", "demo-release-2-production");
      clock(reopened, zone);
      vote(release2, "dave", "erin");
      run(promote2.toArray(String[]::new));
      say("Retrying the same promotion id is safe: it is recognised, nothing is committed twice.");
      run(promote2.toArray(String[]::new));

      say("The release history: commit trailers, each checked against the manifests of its commit (plain 'git log'"
          + " shows the trailers).");
      run("history", "--env", "production");
      Instant nextClose = policy.windows("production", reopened, reopened.plus(Duration.ofDays(62))).stream()
          .filter(w -> w.start().isAfter(reopened)).findFirst().orElseThrow().start().plus(Duration.ofHours(2));
      say("Release 2 misbehaves during the next close (" + local(nextClose, zone) + "). Its dry-run said"
          + " RESTORE_REQUIRED, which its commit records, so an image-only rollback is refused with what to restore;"
          + " the team fixes forward: the image alone goes back to release 1, with a justification the history"
          + " keeps. Rollbacks pass freezes.");
      clock(nextClose, zone);
      expect(1, "rollback", "--env", "production", "--app", "odoo", "--reason", "invoices fail to post",
          "--initiator", "on-call");
      run("rollback", "--env", "production", "--app", "odoo", "--reason", "invoices fail to post",
          "--initiator", "on-call", "--image-only", "--justification", "the old image only reads the new column as"
              + " NULL; release 3 with the fix ships tomorrow");
      run("history", "--env", "production", "--limit", "3");
      say("The auditor's evidence pack: every change of production, checked for the release key's signature, signed"
          + " votes under the policy in force, freezes and dry-run evidence (exit 1 if anything is unsanctioned).");
      run("audit", "--env", "production", "--reports", ws.resolve("reports").toString());
      say(keep ? "Done. The workspace is kept at " + ws + ":\n   reports   " + ws.resolve("reports")
          + "\n   images    " + ws.resolve("images") + "\n   GitOps    git --git-dir " + served.resolve("gitops.git")
          + " log --format=fuller"
          : "Done. The workspace was removed; pass --keep to inspect the reports, images and GitOps repository.");
      return 0;
    } finally {
      if (production != null) {
        production.close();
      }
      if (daemon != null) {
        daemon.stop();
      }
      if (!keep) {
        deleteTree(ws);
      }
      out.flush();
    }
  }

  /** Builds the image of the module repository's current state; returns its pinned reference. */
  private String build(DemoModules modules, Path base, Path archive) throws IOException {
    Files.createDirectories(archive.getParent());
    String printed = run("build", "--addons", modules.addons().toString(), "--base", "docker-archive:" + base,
        "--strict-base", "--image", DemoGitOpsRepository.IMAGE, "--to", "oci:" + archive);
    Matcher digest = BUILT.matcher(printed);
    Matcher tag = TAG.matcher(printed);
    Matcher fromBase = FROM_BASE.matcher(printed);
    if (!digest.find() || !tag.find()) {
      throw new ReleaseException(ReleaseException.Kind.INFRASTRUCTURE, "the demo could not read the digest and tag"
          + " from the build output");
    }
    baseModules = fromBase.find() ? fromBase.group(1).replace(" ", "") : "";
    // The build prints its pinned reference; the one grammar reads it, the tag comes from the tag line.
    return new ImageRef(DemoGitOpsRepository.IMAGE, tag.group(1), ImageRef.parse(digest.group(1)).digest()).pinned();
  }

  /** Dry-runs the release's migrations; returns the JSON report the gate reads. */
  private Path dryRun(DemoDatabase production, DemoModules modules, String image, Path reportDir) {
    List<String> args = new ArrayList<>(List.of("dry-run", "--source-url", production.url(), "--source-user",
        DemoDatabase.USER, "--source-password-file", production.passwordFile().toString(),
        "-m", modules.migrations().toString(), "--addons", modules.addons().toString(),
        "--image", repositoryAndTag(image), "--image-digest", digestOf(image).value(),
        "--max-access-exclusive", "30s", "--report-dir", reportDir.toString(),
        "--signing-key", keys.key("ci-dryrun").toString(),
        "--work-dir", reportDir.resolveSibling(reportDir.getFileName() + "-work").toString()));
    if (!baseModules.isEmpty()) {
      args.addAll(List.of("--base-module", baseModules));
    }
    if (!embeddedStrategyUsable()) {
      out.println("   (no pg_dump 15 or newer here: cloning with the template strategy on the same server instead"
          + " of the embedded one; install postgresql-client to see the default)");
      args.addAll(List.of("--strategy", "template", "--staging-url", production.stagingUrl(), "--staging-user",
          DemoDatabase.USER, "--staging-password-file", production.passwordFile().toString()));
    }
    run(args.toArray(String[]::new));
    return reportDir.resolve("dry-run.json");
  }

  private static boolean embeddedStrategyUsable() {
    try {
      PgClientTools.locate(java.util.Optional.empty(), 15);
      return true;
    } catch (ReleaseException e) {
      return false;
    }
  }

  private String run(String... args) {
    return expect(0, args);
  }

  /**
   * Runs one command as a user would type it and returns what it printed; the demo fails if the command does not end
   * as the step says it should.
   */
  private String expect(int exitCode, String... args) {
    List<String> argv = new ArrayList<>(List.of(args));
    String command = args[0];
    List<String> shown = new ArrayList<>(List.of(args));
    if (USES_REPOSITORY.contains(command)) {
      argv.addAll(repo);
      shown.addAll(List.of("--trust-root", trustRoot.toString()));
    }
    if (command.equals("promote") || command.equals("rollback")) {
      argv.addAll(List.of("--committer", "odoo-gitops demo <demo@localhost>"));
      shown.addAll(List.of("--signing-key", keys.key("release-bot").toString()));
    }
    argv.addAll(shown.subList(args.length, shown.size()));
    String prefix = ws.toString() + java.io.File.separator;
    out.println("   $ odoo-gitops " + String.join(" ", shown.stream()
        .map(a -> a.replace(prefix, ""))
        .map(a -> a.contains(" ") ? "'" + a + "'" : a).toList()));
    out.flush();
    // The demo's calendar, in-process only: promote and rollback have no flag that moves their clock.
    CommandLine cli = Main.commandLine(Clock.fixed(clock, ZoneOffset.UTC));
    StringWriter printed = new StringWriter();
    cli.setOut(new PrintWriter(printed, true));
    cli.setErr(out);
    int exit = cli.execute(argv.toArray(String[]::new));
    out.print(printed);
    out.println(exit == 0 ? "" : "   (exit " + exit + ")\n");
    if (exit != exitCode) {
      throw new ReleaseException(ReleaseException.Kind.INFRASTRUCTURE, "demo step 'odoo-gitops " + command
          + "' ended with exit code " + exit + ", expected " + exitCode);
    }
    return printed.toString();
  }

  /** Each voter approves {@code image} with their own key and pushes the signed vote to the GitOps repository. */
  private void vote(String image, String... voters) {
    for (String voter : voters) {
      run("approve", "--env", "production", "--app", "odoo", "--digest", digestOf(image).value(), "--key",
          keys.key(voter).toString(), "--push");
    }
  }

  private static String holders() {
    StringBuilder text = new StringBuilder();
    DemoKeys.HOLDERS.forEach((holder, role) -> text.append("       ").append(holder).append(": ").append(role)
        .append('\n'));
    return text.toString();
  }

  /** Moves the demo's clock, which promote and rollback decide on, to {@code instant}. */
  private void clock(Instant instant, ZoneId zone) {
    clock = instant.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    out.println("   (the demo's clock is now " + local(clock, zone) + ")");
  }

  private void say(String text) {
    out.println((++step) + ". " + text);
    out.flush();
  }

  private static void writeApprovals(Path file, ImageDigest digest, Instant at, String... voters)
      throws IOException {
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

  private static ImageDigest digestOf(String reference) {
    return ImageRef.parse(reference).digest();
  }

  /** {@code repository[:tag]} of a pinned reference, as {@code dry-run --image} takes it beside the digest. */
  private static String repositoryAndTag(String reference) {
    ImageRef image = ImageRef.parse(reference);
    return image.repository() + (image.tag() == null ? "" : ":" + image.tag());
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
