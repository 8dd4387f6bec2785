package io.odoogitops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.odoogitops.ImageDigest;
import io.odoogitops.dryrun.report.DryRunReport;
import io.odoogitops.dryrun.report.JsonReport;
import io.odoogitops.dryrun.verdict.Judgement;
import io.odoogitops.dryrun.verdict.RollbackSafety;
import io.odoogitops.fleet.FleetFixture;
import io.odoogitops.policy.Verdict;
import io.odoogitops.testing.GitDaemon;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fleet promote}, {@code fleet rollback} and {@code fleet resume} against git daemon on loopback, with their
 * exit codes: 0 advanced or waiting, 1 halted or refused, 2 bad input, 3 unreachable.
 */
class FleetRolloutCommandIT {

  @TempDir Path dir;
  GitDaemon daemon;
  String url;

  @BeforeEach
  void start() throws Exception {
    daemon = FleetFixture.serve(dir);
    url = daemon.url("gitops.git");
  }

  @AfterEach
  void stop() {
    daemon.close();
  }

  private CliRun fleet(String command, String... more) {
    String[] base = {"fleet", command, "--repo", url, "--cache-dir", dir.resolve("cache").toString(), "--fleet",
        "saas", "--initiator", "alice"};
    String[] all = new String[base.length + more.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return CliRun.of(all);
  }

  private static String image(int n) {
    return FleetFixture.REPO + "@" + FleetFixture.image(n).digest();
  }

  @Test
  void promoteRollbackResumeWithTheirExitCodes() throws Exception {
    CliRun canary = fleet("promote", "--image", image(1), "--reason", "nightly");
    assertThat(canary.exitCode()).as(canary.err()).isZero();
    assertThat(canary.out()).contains("- advanced:", "promoted acme (canary)", "verified acme (canary)",
        "next wave: gold may start at");
    assertThat(line(canary.out(), "acme")).contains("soaking");

    // Inside the canary's soak there is nothing to do: still exit 0, and it says when the next wave may start.
    CliRun soaking = fleet("promote", "--image", image(1), "--output", "json");
    assertThat(soaking.exitCode()).as(soaking.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(soaking.out());
    assertThat(json.path("outcome").asText()).isEqualTo("WAITING");
    assertThat(json.path("nextWave").asText()).isEqualTo("gold");
    assertThat(json.path("nextWaveAt").asText()).isNotEmpty();

    CliRun noReason = fleet("rollback");
    assertThat(noReason.exitCode()).isEqualTo(2);
    assertThat(noReason.err()).contains("needs --reason").doesNotContain("\tat ");

    CliRun rollback = fleet("rollback", "--reason", "invoices print blank");
    assertThat(rollback.exitCode()).as(rollback.err()).isZero();
    assertThat(rollback.out()).contains("rolled back 1 tenant(s)", "acme (canary)");

    CliRun halted = fleet("promote", "--image", image(1));
    assertThat(halted.exitCode()).isEqualTo(1);
    assertThat(halted.out()).contains("- halted:", "invoices print blank", "HALTED");

    CliRun status = CliRun.of("fleet", "status", "--repo", url, "--cache-dir", dir.resolve("cache").toString(),
        "--fleet", "saas");
    assertThat(status.exitCode()).as(status.err()).isZero();
    assertThat(status.out()).contains("HALTED", "by alice", "rolled back by 'fleet rollback': invoices print blank");
    // The rollback held the digest in acme; a resume (below) is the decision that releases it.
    assertThat(status.out()).contains("held in acme: sha256:", "hold release --env acme --app odoo");
    CliRun statusJson = CliRun.of("fleet", "status", "--repo", url, "--cache-dir", dir.resolve("cache").toString(),
        "--fleet", "saas", "--output", "json");
    JsonNode halt = new ObjectMapper().readTree(statusJson.out()).path("halt");
    assertThat(halt.path("reason").asText()).isEqualTo("rolled back by 'fleet rollback': invoices print blank");
    assertThat(halt.path("by").asText()).isEqualTo("alice");
    assertThat(halt.path("commit").asText()).hasSize(40);
    JsonNode holds = new ObjectMapper().readTree(statusJson.out()).path("holds");
    assertThat(holds).hasSize(1);
    assertThat(holds.get(0).path("tenant").asText()).isEqualTo("acme");

    CliRun resume = fleet("resume", "--image", image(1), "--reason", "template fixed");
    assertThat(resume.exitCode()).as(resume.err()).isZero();
    assertThat(resume.out()).contains("promoted acme (canary)");

    CliRun again = fleet("resume", "--image", image(1), "--reason", "twice");
    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.err()).contains("is not halted");
  }

  @Test
  void perTenantDryRunReportsAreReadFromTheirDirectory() throws Exception {
    // A report that says FAIL for the canary halts the rollout before anything is promoted.
    Path reports = Files.createDirectories(dir.resolve("reports/acme"));
    String digest = FleetFixture.image(1).digest().value();
    Instant now = Instant.now();
    Files.write(reports.resolve("dry-run.json"), JsonReport.bytes(new DryRunReport(DryRunReport.SCHEMA_VERSION,
        "run1", FleetFixture.REPO, new ImageDigest(digest), now, now, "db:5432/acme", null, null, null, List.of(), 0, List.of(),
        new Judgement(new ImageDigest(digest), Verdict.FAIL, RollbackSafety.PREVIOUS_IMAGE_COMPATIBLE, List.of(), List.of()),
        null)));
    CliRun run = fleet("promote", "--image", image(1), "--dry-run-reports", dir.resolve("reports").toString());
    assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
    assertThat(run.out()).contains("the dry-run report of acme says FAIL");
  }

  @Test
  void badInputAndUnreachableRepository() {
    CliRun otherRepo = fleet("promote", "--image", "registry.example.com/other/odoo@" + FleetFixture.image(1)
        .digest());
    assertThat(otherRepo.exitCode()).isEqualTo(2);
    assertThat(otherRepo.err()).contains("is not from the repository of application 'odoo'");

    CliRun override = fleet("promote", "--image", image(1), "--override-justification", "month end, CFO agreed");
    assertThat(override.exitCode()).isEqualTo(2);
    assertThat(override.err()).contains("fleet commands do not override freezes");

    CliRun badWait = fleet("promote", "--image", image(1), "--wait", "soon");
    assertThat(badWait.exitCode()).isEqualTo(2);

    CliRun unreachable = CliRun.of("fleet", "promote", "--repo", "git://127.0.0.1:1/none.git", "--cache-dir",
        dir.resolve("cache2").toString(), "--fleet", "saas", "--image", image(1));
    assertThat(unreachable.exitCode()).isEqualTo(3);
    assertThat(unreachable.err()).doesNotContain("\tat ");
  }

  private static String line(String text, String tenant) {
    return text.lines().filter(l -> l.strip().startsWith(tenant + " ")).findFirst().orElse("(no line for " + tenant
        + ")");
  }
}
