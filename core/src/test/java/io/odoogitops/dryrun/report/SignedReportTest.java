package io.odoogitops.dryrun.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.odoogitops.config.ConfigLoader;
import io.odoogitops.policy.Action;
import io.odoogitops.policy.Candidate;
import io.odoogitops.policy.DryRunEvidence;
import io.odoogitops.policy.GateRequest;
import io.odoogitops.policy.Outcome;
import io.odoogitops.policy.ReleasePolicy;
import io.odoogitops.policy.RuleResult;
import io.odoogitops.signing.SshKeygen;
import io.odoogitops.testing.Prerequisites;
import io.odoogitops.testing.Requires;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signed dry-run reports against the real {@code ssh-keygen}: what the product signs verifies with {@code ssh-keygen
 * -Y verify}, what ssh-keygen signs passes the gate, and a hand-written, changed or wrongly signed report is refused
 * by a policy that names its dry-run signers.
 */
@Requires(Prerequisites.Tool.SSH_KEYGEN)
class SignedReportTest {

  static final io.odoogitops.ImageDigest DIGEST = UpgradeReportTest.DIGEST;
  static final Instant NOW = Instant.parse("2026-11-23T11:00:00Z");

  @TempDir Path dir;
  Path ci;
  Path mallory;
  ReleasePolicy policy;

  @BeforeEach
  void setUp() throws Exception {
    ci = SshKeygen.generate(dir, "ci", "ed25519", null, null);
    mallory = SshKeygen.generate(dir, "mallory", "ed25519", null, null);
    String yaml = "applications:\n  odoo: { image: registry.example.com/shop/odoo }\n"
        + "allowedSigners:\n"
        + "  ci-dryrun: \"" + SshKeygen.publicKey(ci) + "\"\n"
        + "  mallory: \"" + SshKeygen.publicKey(mallory) + "\"\n"
        + "environments:\n"
        + "  production:\n"
        + "    path: envs/production\n"
        + "    layout: kustomize\n"
        + "    gate: { dryRun: PASS, dryRunSigners: [ci-dryrun] }\n";
    policy = ReleasePolicy.of(ConfigLoader.load(yaml.getBytes(StandardCharsets.UTF_8), "odoo-gitops.yaml"));
  }

  @Test
  void aSignedReportVerifiesWithSshKeygenAndPassesTheGate() throws Exception {
    ReportFiles files = ReportFiles.write(report(), dir.resolve("out"), ReportSigner.fromKeyFile(ci, null));
    Path allowed = Files.writeString(dir.resolve("allowed"), "ci-dryrun " + SshKeygen.publicKey(ci) + "\n");

    SshKeygen.Run verified = SshKeygen.verify(allowed, "ci-dryrun", "odoo-gitops-dryrun",
        Files.readString(files.signature()), Files.readAllBytes(files.json()), dir);

    assertThat(files.signature()).hasFileName("dry-run.json.sig");
    assertThat(verified.exit()).as(verified.stderr()).isZero();
    assertThat(verified.stdout()).contains("Good \"odoo-gitops-dryrun\" signature for ci-dryrun");
    RuleResult rule = dryRunRule(files.json());
    assertThat(rule.outcome()).as(rule.reason()).isEqualTo(Outcome.PASSED);
  }

  @Test
  void aReportSignedBySshKeygenPassesTheGate() throws Exception {
    Path json = Files.write(dir.resolve("dry-run.json"), JsonReport.bytes(report()));
    Files.writeString(dir.resolve("dry-run.json.sig"), SshKeygen.sign(ci, "odoo-gitops-dryrun",
        Files.readAllBytes(json)));

    assertThat(dryRunRule(json).outcome()).isEqualTo(Outcome.PASSED);
  }

  @Test
  void aHandWrittenReportIsRefused() throws Exception {
    // a complete report of the current schema, typed (here: serialized) by someone who ran no dry-run
    Path json = Files.write(dir.resolve("dry-run.json"), JsonReport.bytes(report()));

    RuleResult rule = dryRunRule(json);

    assertThat(rule.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(rule.reason()).contains("is not signed").contains("written by hand never passes")
        .contains("ci-dryrun");
  }

  @Test
  void oneChangedByteBreaksTheSignature() throws Exception {
    ReportFiles files = ReportFiles.write(report(), dir.resolve("out"), ReportSigner.fromKeyFile(ci, null));
    byte[] bytes = Files.readAllBytes(files.json());
    int space = new String(bytes, StandardCharsets.UTF_8).indexOf("  ");
    bytes[space] = '\t'; // still JSON, same verdict: only the signature can tell
    Files.write(files.json(), bytes);

    RuleResult rule = dryRunRule(files.json());

    assertThat(JsonReport.evidence(files.json()).verdict()).hasToString("PASS");
    assertThat(rule.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(rule.reason()).contains("signature does not hold").contains("changed after signing");
  }

  @Test
  void aReportSignedByAnotherSignerOrInAnotherNamespaceIsRefused() throws Exception {
    ReportFiles byMallory = ReportFiles.write(report(), dir.resolve("by-mallory"),
        ReportSigner.fromKeyFile(mallory, null));
    Path json = Files.write(dir.resolve("dry-run.json"), JsonReport.bytes(report()));
    Files.writeString(dir.resolve("dry-run.json.sig"), SshKeygen.sign(ci, "odoo-gitops", Files.readAllBytes(json)));

    assertThat(dryRunRule(byMallory.json()).reason()).contains("may not sign dry-run reports as ci-dryrun");
    assertThat(dryRunRule(json).reason()).contains("signed for namespace 'odoo-gitops', not 'odoo-gitops-dryrun'");
  }

  @Test
  void aRewrittenReportLosesTheStaleSignature() throws Exception {
    Path out = dir.resolve("out");
    ReportFiles.write(report(), out, ReportSigner.fromKeyFile(ci, null));
    ReportFiles unsigned = ReportFiles.write(report(), out);

    assertThat(unsigned.signature()).isNull();
    assertThat(out.resolve("dry-run.json.sig")).doesNotExist();
  }

  @Test
  void dryRunSignersNeedAllowedSignersAndADryRunRule() {
    String yaml = "applications:\n  odoo: { image: registry.example.com/shop/odoo }\n"
        + "environments:\n"
        + "  production:\n"
        + "    path: envs/production\n"
        + "    layout: kustomize\n"
        + "    gate: { dryRunSigners: [ci-dryrun] }\n";
    assertThatThrownBy(() -> ConfigLoader.load(yaml.getBytes(StandardCharsets.UTF_8), "odoo-gitops.yaml"))
        .hasMessageContaining("dryRunSigners").hasMessageContaining("needs allowedSigners")
        .hasMessageContaining("dryRun requires none");
  }

  private RuleResult dryRunRule(Path json) {
    DryRunEvidence evidence = JsonReport.evidence(json);
    GateRequest request = GateRequest.builder(new Candidate("production", "odoo", DIGEST, Action.PROMOTE))
        .initiator("ci").dryRun(evidence).at(NOW).build();
    return policy.evaluate(request).rules().stream().filter(r -> r.rule().equals("dry-run")).findFirst()
        .orElseThrow();
  }

  /** A complete PASS report of the current schema. */
  private static DryRunReport report() {
    return UpgradeReportTest.report(null);
  }

}
