package io.odoogitops.cli;

import io.odoogitops.ImageDigest;
import io.odoogitops.dryrun.report.DryRunReport;
import io.odoogitops.dryrun.report.JsonReport;
import io.odoogitops.dryrun.verdict.Judgement;
import io.odoogitops.dryrun.verdict.RollbackSafety;
import io.odoogitops.policy.Verdict;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GateCommandTest {

  private static final String DIGEST = "sha256:" + "a".repeat(64);
  private static final String OTHER = "sha256:" + "b".repeat(64);
  private static final String NOW = "2026-11-18T10:00:00Z";
  private static final String IN_CLOSE = "2026-11-27T10:00:00Z";

  @TempDir
  Path dir;

  private String config;
  private String report;

  @BeforeEach
  void writeFiles() throws Exception {
    config = Files.writeString(dir.resolve("odoo-gitops.yaml"), PolicyCli.CONFIG).toString();
    report = Files.write(dir.resolve("report.json"), JsonReport.bytes(new DryRunReport(DryRunReport.SCHEMA_VERSION,
        "run1", "registry.example.com/acme/odoo", new ImageDigest(DIGEST), Instant.parse(NOW), Instant.parse(NOW), "db:5432/odoo",
        null, null, null, List.of(), 0, List.of(),
        new Judgement(new ImageDigest(DIGEST), Verdict.PASS, RollbackSafety.PREVIOUS_IMAGE_COMPATIBLE, List.of(), List.of()), null)))
        .toString();
  }

  private String approvals(String... lines) throws Exception {
    return Files.write(dir.resolve("approvals.yaml"), List.of(lines)).toString();
  }

  private static String vote(String voter, String digest, String at, String vote, String scope) {
    return "- { voter: " + voter + ", environment: production, application: odoo, digest: " + digest
        + ", at: " + at + ", vote: " + vote + ", scope: " + scope + " }";
  }

  private PolicyCli check(String approvalsFile, String at, String... extra) {
    List<String> args = new ArrayList<>(List.of("gate", "check", "--config", config, "--env", "production",
        "--app", "odoo", "--digest", DIGEST, "--initiator", "alice", "--source-author", "bob",
        "--approvals", approvalsFile, "--dry-run-report", report, "--promoted-in", OTHER + "," + DIGEST,
        "--at", at));
    args.addAll(List.of(extra));
    return PolicyCli.run(args.toArray(String[]::new));
  }

  @Test
  void allowedDecisionPrintsEveryRuleAndTheTrailers() throws Exception {
    PolicyCli result = check(approvals(
        vote("carol", DIGEST, "2026-11-18T08:00:00Z", "APPROVE", "promotion"),
        vote("dave", DIGEST, "2026-11-18T09:00:00Z", "APPROVE", "promotion")), NOW);

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).contains("ok    promote-from", "ok    dry-run", "ok    approvals",
        "ok    rejections", "ok    freeze", "decision: ALLOWED", "Approved-By: carol", "Approved-By: dave",
        "Dry-Run: PASS sha256:");
  }

  @Test
  void selfApprovalAndOtherDigestsAreReportedNotCounted() throws Exception {
    PolicyCli result = check(approvals(
        vote("carol", DIGEST, "2026-11-18T08:00:00Z", "APPROVE", "promotion"),
        vote("alice", DIGEST, "2026-11-18T08:00:00Z", "APPROVE", "promotion"),
        vote("dave", OTHER, "2026-11-18T09:00:00Z", "APPROVE", "promotion")), NOW);

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.out()).contains("FAIL  approvals      1 of 2", "dave: voted for production/odoo@sha256:bbbb",
        "decision: REFUSED (1 rule failed)");
  }

  @Test
  void anOverrideDuringTheCloseIsRecorded() throws Exception {
    PolicyCli refused = check(approvals(
        vote("carol", DIGEST, "2026-11-27T08:00:00Z", "APPROVE", "promotion"),
        vote("dave", DIGEST, "2026-11-27T09:00:00Z", "APPROVE", "promotion"),
        vote("erin", DIGEST, "2026-11-27T09:00:00Z", "APPROVE", "freeze-override")), IN_CLOSE);
    PolicyCli overridden = check(dir.resolve("approvals.yaml").toString(), IN_CLOSE,
        "--override-justification", "bank file format changed; payments fail since 08:00");

    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.out()).contains("FAIL  freeze", "frozen by month-end close");
    assertThat(overridden.exitCode()).isZero();
    assertThat(overridden.out()).contains("Freeze-Override: month-end close; approved by erin",
        "Override-Justification: bank file format changed; payments fail since 08:00");
  }

  @Test
  void aRollbackNeedsNoApprovalsDuringTheClose() throws Exception {
    PolicyCli result = PolicyCli.run("gate", "check", "--config", config, "--env", "production", "--app", "odoo",
        "--digest", DIGEST, "--initiator", "alice", "--action", "rollback", "--at", IN_CLOSE);

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).contains("n/a   approvals", "ok    freeze         frozen by month-end close, which"
        + " allow rollback");
  }

  @Test
  void jsonDecision() throws Exception {
    PolicyCli result = check(approvals(vote("carol", DIGEST, "2026-11-18T08:00:00Z", "APPROVE", "promotion")), NOW,
        "--output", "json");

    JsonNode decision = new ObjectMapper().readTree(result.out());
    assertThat(decision.get("allowed").asBoolean()).isFalse();
    assertThat(decision.get("rules")).hasSize(7);
    assertThat(decision.get("rules").get(3).get("rule").asText()).isEqualTo("approvals");
    assertThat(decision.get("rules").get(3).get("outcome").asText()).isEqualTo("FAILED");
    assertThat(decision.get("trailers").get(0).get("key").asText()).isEqualTo("Approved-By");
  }

  @Test
  void promotedInReadsAFileOfDigests() throws Exception {
    Path promoted = Files.writeString(dir.resolve("staging.txt"), "# staging history\n" + OTHER + "\n");

    PolicyCli result = PolicyCli.run("gate", "check", "--config", config, "--env", "production", "--app", "odoo",
        "--digest", DIGEST, "--initiator", "alice", "--promoted-in", promoted.toString(), "--at", NOW);

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.out()).contains("was never promoted to staging; promote it there first");
  }

  @Test
  void malformedInputsExitTwo() throws Exception {
    PolicyCli badApprovals = check(approvals("- { voter: carol, vote: APPROVE }"), NOW);
    Path badReport = Files.writeString(dir.resolve("bad-report.json"), "{\"schemaVersion\": 1, \"status\": \"ok\"}");
    PolicyCli badDryRun = PolicyCli.run("gate", "check", "--config", config, "--env", "production",
        "--app", "odoo", "--digest", DIGEST, "--initiator", "alice", "--dry-run-report", badReport.toString());
    PolicyCli badDigest = PolicyCli.run("gate", "check", "--config", config, "--env", "production",
        "--app", "odoo", "--digest", "17.0", "--initiator", "alice");
    PolicyCli missingInitiator = PolicyCli.run("gate", "check", "--config", config, "--env", "production",
        "--app", "odoo", "--digest", DIGEST);

    assertThat(badApprovals.exitCode()).isEqualTo(2);
    assertThat(badApprovals.err()).contains("approvals.yaml: vote #1: 'environment' is required");
    assertThat(badDryRun.exitCode()).isEqualTo(2);
    assertThat(badDryRun.err()).contains("is not a complete report of schema version 1");
    assertThat(badDigest.exitCode()).isEqualTo(2);
    assertThat(badDigest.err()).contains("--digest '17.0' is not an image digest");
    assertThat(missingInitiator.exitCode()).isEqualTo(2);
    assertThat(missingInitiator.err()).contains("--initiator");
  }
}
