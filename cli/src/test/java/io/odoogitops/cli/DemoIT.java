package io.odoogitops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.odoogitops.testing.Prerequisites;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** README's main command, end to end, with its outcome checked where a user would look: git, reports, processes. */
class DemoIT {

  @TempDir Path tmp;

  @Test
  void demoRunsThePipelineAndLeavesAnAuditableRepositoryAndNothingRunning() throws Exception {
    Prerequisites.require(Prerequisites.Tool.PG_DUMP);
    Path ws = tmp.resolve("ws");
    CliRun run = CliRun.of("demo", "--workspace", ws.toString(), "--keep", "--at", "2026-11-18T09:00:00Z");
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).contains("built registry.example.com/acme/odoo@sha256:", "dry-run WARN",
        "large-table-rewrite", "decision: REFUSED", "frozen by month-end close", "promotions open again",
        "already landed", "rolled back odoo in production", "Done.");
    // the product as it is meant to be run: a trust root, signed votes, signed reports, so nothing is advisory
    assertThat(run.out()).doesNotContain("advisory", "votes are unverified", "no trust root", "no release key signed",
        "ignored unsigned change");
    assertThat(run.out()).doesNotContain("PRIVATE KEY");
    // mallory's hand-written votes of dave and erin are listed as not counted, and the gate refuses
    String forgery = section(run.out(), "7. mallory");
    assertThat(forgery).contains("dave: unsigned vote", "erin: unsigned vote", "(counted: none)",
        "decision: REFUSED");
    // the audit of production: every change sanctioned, exit 0
    String audit = section(run.out(), "16. The auditor");
    assertThat(audit).contains("0 unsanctioned, 2 promotion(s), 1 rollback(s)", "UNSANCTIONED (0)",
        "good SSH signature by release-bot", "signed in commit").doesNotContain("   (exit ");

    List<String> built = new ArrayList<>();
    Matcher m = Pattern.compile("built registry.example.com/acme/odoo@(sha256:[0-9a-f]{64})").matcher(run.out());
    while (m.find()) {
      if (!built.contains(m.group(1))) {
        built.add(m.group(1));
      }
    }
    assertThat(built).hasSize(2).doesNotHaveDuplicates();
    String release1 = built.get(0);
    String release2 = built.get(1);

    try (Git git = Git.open(ws.resolve("git/gitops.git").toFile())) {
      Repository repo = git.getRepository();
      assertThat(file(repo, "envs/production/kustomization.yaml")).contains("digest: " + release1);
      assertThat(file(repo, "envs/staging/kustomization.yaml")).contains("digest: " + release2);
      List<RevCommit> log = new ArrayList<>();
      git.log().call().forEach(log::add);
      RevCommit rollback = log.get(0);
      assertThat(rollback.getShortMessage()).startsWith("rollback odoo in production");
      assertThat(rollback.getFooterLines("Rollback-Of")).containsExactly("demo-release-2-production");
      assertThat(rollback.getFooterLines("Image-Digest")).containsExactly(release1);
      // release 2 was RESTORE_REQUIRED: the plain rollback was refused, the image-only one is on the record
      assertThat(rollback.getFooterLines("Rollback-Image-Only")).containsExactly("true");
      assertThat(rollback.getFooterLines("Image-Only-Justification")).singleElement().asString()
          .contains("release 3 with the fix");
      RevCommit release2Production = log.stream()
          .filter(c -> c.getFooterLines("Promotion-Id").contains("demo-release-2-production")).findFirst().orElseThrow();
      assertThat(release2Production.getFooterLines("Approved-By")).containsExactlyInAnyOrder("dave", "erin");
      assertThat(release2Production.getFooterLines("Approval-Key")).hasSize(2)
          .anySatisfy(k -> assertThat(k).matches("dave SHA256:\\S+"))
          .anySatisfy(k -> assertThat(k).matches("erin SHA256:\\S+"));
      assertThat(release2Production.getFooterLines("Initiated-By-Claim")).containsExactly("carol");
      assertThat(new String(release2Production.getRawGpgSignature(), StandardCharsets.US_ASCII))
          .startsWith("-----BEGIN SSH SIGNATURE-----");
      assertThat(rollback.getRawGpgSignature()).as("the rollback is signed by the release key").isNotNull();
      assertThat(release2Production.getFooterLines("Dry-Run")).singleElement().asString().startsWith("WARN sha256:");
      // 2 staging + 2 production promotions + 1 rollback on top of the two seed commits; the retry did not land twice
      List<RevCommit> changes = log.stream().filter(c -> !c.getShortMessage().startsWith("vote: ")).toList();
      assertThat(changes).hasSize(7);
      // the votes: dave and erin, signed, under votes/ (release 1 once, release 2 during and after the close)
      List<RevCommit> votes = log.stream().filter(c -> c.getShortMessage().startsWith("vote: ")).toList();
      assertThat(votes).hasSize(6).allSatisfy(c -> assertThat(c.getShortMessage()).matches(
          "vote: (dave|erin) approves odoo sha256:\\S+ for production"));
    }

    ObjectMapper json = new ObjectMapper();
    for (String release : List.of("release-1", "release-2")) {
      Path dir = ws.resolve("reports").resolve(release);
      assertThat(dir.resolve("dry-run.md")).exists();
      assertThat(Files.readString(dir.resolve("dry-run-junit.xml"))).contains("<testsuite");
      JsonNode report = json.readTree(dir.resolve("dry-run.json").toFile());
      assertThat(report.path("judgement").path("verdict").asText()).isEqualTo("WARN");
      assertThat(report.path("staging").path("dropped").asBoolean()).as("clone dropped").isTrue();
      assertThat(report.path("imageDigest").asText()).isEqualTo(release.equals("release-1") ? release1 : release2);
      assertThat(Files.readString(dir.resolve("dry-run.json.sig"))).startsWith("-----BEGIN SSH SIGNATURE-----");
    }
    assertThat(ws.resolve("images/release-1.tar")).exists();
    assertThat(ws.resolve("trust-root")).content().contains("#@role policy-admin", "#@role release-manager");
    assertThat(Files.getPosixFilePermissions(ws.resolve("keys/release-bot")))
        .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
    assertThat(processesUsing(ws)).as("no PostgreSQL server of the demo left running").isEmpty();
  }

  @Test
  void withoutKeepTheWorkspaceIsRemoved() {
    Prerequisites.require(Prerequisites.Tool.PG_DUMP);
    Path ws = tmp.resolve("gone");
    CliRun run = CliRun.of("demo", "--workspace", ws.toString(), "--at", "2026-11-18T09:00:00Z");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(ws).doesNotExist();
  }

  /** The demo's output from the step starting with {@code heading} up to the next numbered step. */
  private static String section(String out, String heading) {
    int start = out.indexOf("\n" + heading);
    assertThat(start).as("step '" + heading + "' in the output").isNotNegative();
    Matcher next = Pattern.compile("\n\\d+\\. ").matcher(out);
    int end = next.find(start + 1) ? next.start() : out.length();
    return out.substring(start, end);
  }

  private static String file(Repository repo, String path) throws Exception {
    try (TreeWalk tw = TreeWalk.forPath(repo, path, repo.parseCommit(repo.resolve("refs/heads/main")).getTree())) {
      return new String(repo.open(tw.getObjectId(0)).getBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Processes whose command line names the workspace: the demo's database servers keep their data there. */
  private static List<String> processesUsing(Path workspace) {
    String path = workspace.toString();
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().arguments().map(args -> String.join(" ", args).contains(path)).orElse(false)
            || p.info().commandLine().map(c -> c.contains(path)).orElse(false))
        .map(p -> p.pid() + " " + p.info().commandLine().orElse("?"))
        .toList();
  }
}
