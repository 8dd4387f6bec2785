package io.odoogitops.policy;

import static io.odoogitops.policy.TestConfigs.DIGEST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.odoogitops.restore.RestorePoint;
import io.odoogitops.restore.RestorePointEvidence;
import io.odoogitops.restore.RestorePointSignature;
import io.odoogitops.signing.SshKeygen;
import io.odoogitops.signing.SshSigner;
import io.odoogitops.testing.Prerequisites;
import io.odoogitops.testing.Requires;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signed restore points against the real {@code ssh-keygen}: what {@code restore-point take} signs verifies with
 * {@code ssh-keygen -Y verify}, and a policy naming {@code restorePointSigners} refuses an unsigned, changed or
 * wrongly signed point with the reasons the dry-run rule gives for a report.
 */
@Requires(Prerequisites.Tool.SSH_KEYGEN)
class RestorePointSignersTest {

  private static final Instant NOW = Instant.parse("2026-11-18T10:00:00Z");

  @TempDir Path dir;
  Path ci;
  Path mallory;
  ReleasePolicy policy;

  @BeforeEach
  void setUp() throws Exception {
    ci = SshKeygen.generate(dir, "ci", "ed25519", null, null);
    mallory = SshKeygen.generate(dir, "mallory", "ed25519", null, null);
    String dump = "restore: { dump: { location: /srv/points, database: { url: \"jdbc:postgresql://db:5432/odoo\","
        + " user: b } } }";
    policy = ReleasePolicy.of(TestConfigs.load("allowedSigners:\n"
        + "  ci-backup: \"" + SshKeygen.publicKey(ci) + "\"\n"
        + "  mallory: \"" + SshKeygen.publicKey(mallory) + "\"\n"
        + "environments:\n"
        + "  production:\n"
        + "    path: envs/production\n"
        + "    layout: kustomize\n"
        + "    restorePoint: required\n"
        + "    " + dump + "\n"
        + "    gate: { restorePointSigners: [ci-backup] }\n"
        + "  regulated:\n"
        + "    path: envs/regulated\n"
        + "    layout: kustomize\n"
        + "    restorePoint: required\n"
        + "    " + dump + "\n"
        + "  staging:\n"
        + "    path: envs/staging\n"
        + "    layout: kustomize\n"
        + "    gate: { restorePointSigners: [ci-backup] }\n"));
  }

  @Test
  void aPointSignedByTakeVerifiesWithSshKeygenAndPassesTheGate() throws Exception {
    RestorePoint point = RestorePointGateTest.point("production", DIGEST, NOW);
    Path evidence = dir.resolve("restore-point.json");
    RestorePointEvidence.write(point, evidence,
        Optional.of(RestorePointSignature.sign(point, SshSigner.fromKeyFile(ci, null))));
    Path allowed = Files.writeString(dir.resolve("allowed"), "ci-backup " + SshKeygen.publicKey(ci) + "\n");

    SshKeygen.Run verified = SshKeygen.verify(allowed, "ci-backup", "odoo-gitops-restore-point",
        Files.readString(dir.resolve("restore-point.json.sig")), Files.readAllBytes(evidence), dir);
    Decision decision = decide("production", evidence);

    assertThat(verified.exit()).as(verified.stderr()).isZero();
    assertThat(decision.allowed()).isTrue();
    assertThat(rule(decision).outcome()).as(rule(decision).reason()).isEqualTo(Outcome.PASSED);
    assertThat(decision.trailers()).contains(new Trailer("Restore-Point", point.ref().trailerValue()));
  }

  @Test
  void aPointSignedBySshKeygenPassesTheGate() throws Exception {
    Path evidence = write("production", null);
    Files.writeString(dir.resolve("restore-point.json.sig"), SshKeygen.sign(ci, "odoo-gitops-restore-point",
        Files.readAllBytes(evidence)));

    assertThat(rule(decide("production", evidence)).outcome()).isEqualTo(Outcome.PASSED);
  }

  @Test
  void anUnsignedPointIsRefusedAndNotRecorded() throws Exception {
    Decision decision = decide("production", write("production", null));

    assertThat(decision.allowed()).isFalse();
    assertThat(rule(decision).reason()).contains("is not signed").contains("written by hand never passes")
        .contains("ci-backup").contains("restore-point take --signing-key");
    assertThat(decision.trailers()).extracting(Trailer::key).doesNotContain("Restore-Point");
  }

  @Test
  void oneChangedByteBreaksTheSignature() throws Exception {
    Path evidence = write("production", ci);
    String json = Files.readString(evidence);
    // still a valid point of the same digest and environment: only the signature can tell
    Files.writeString(evidence, json.replace("\"bytes\" : 1048576", "\"bytes\" : 1048577"));

    Decision decision = decide("production", evidence);

    assertThat(Files.readString(evidence)).isNotEqualTo(json);
    assertThat(rule(decision).outcome()).isEqualTo(Outcome.FAILED);
    assertThat(rule(decision).reason()).contains("signature of restore point").contains("does not hold")
        .contains("changed after signing");
  }

  @Test
  void aPointSignedByAnotherSignerOrInAnotherNamespaceIsRefused() throws Exception {
    Decision byMallory = decide("production", write("production", mallory));
    assertThat(rule(byMallory).reason()).contains("may not sign restore points as ci-backup");

    Path evidence = write("production", null);
    Files.writeString(dir.resolve("restore-point.json.sig"), SshKeygen.sign(ci, "odoo-gitops-dryrun",
        Files.readAllBytes(evidence)));
    assertThat(rule(decide("production", evidence)).reason())
        .contains("not 'odoo-gitops-restore-point'");

    Files.writeString(dir.resolve("restore-point.json.sig"), "not a signature\n");
    assertThat(rule(decide("production", evidence)).reason()).contains("is not an SSH signature");
  }

  @Test
  void withoutRestorePointSignersNothingChanges() throws Exception {
    Decision unsigned = decide("regulated", write("regulated", null));
    assertThat(unsigned.allowed()).isTrue();
    assertThat(rule(unsigned).outcome()).isEqualTo(Outcome.PASSED);

    Decision byMallory = decide("regulated", write("regulated", mallory));
    assertThat(rule(byMallory).outcome()).isEqualTo(Outcome.PASSED);
  }

  @Test
  void anUnsignedPointWhereNoneIsNeededIsNotRecorded() throws Exception {
    Decision decision = decide("staging", write("staging", null));

    assertThat(decision.allowed()).isTrue();
    assertThat(rule(decision).outcome()).isEqualTo(Outcome.NOT_APPLICABLE);
    assertThat(rule(decision).reason()).contains("not recorded").contains("is not signed");
    assertThat(decision.trailers()).extracting(Trailer::key).doesNotContain("Restore-Point");
  }

  @Test
  void writingAnUnsignedPointRemovesAStaleSignature() throws Exception {
    write("production", ci);
    Path evidence = write("production", null);

    assertThat(RestorePointSignature.readNextTo(evidence)).isEmpty();
    assertThat(rule(decide("production", evidence)).reason()).contains("is not signed");
  }

  @Test
  void restorePointSignersNeedAllowedSignersAndSignerIds() {
    assertThatThrownBy(() -> TestConfigs.load("environments:\n"
        + "  production:\n"
        + "    path: envs/production\n"
        + "    layout: kustomize\n"
        + "    gate: { restorePointSigners: [ci-backup, \"a,b\"] }\n"))
        .hasMessageContaining("odoo-gitops.yaml:7: environments.production.gate.restorePointSigners: needs"
            + " allowedSigners")
        .hasMessageContaining("gate.restorePointSigners.1: 'a,b' is not a signer id");
  }

  /** The evidence of a point of {@code environment}, signed by {@code key} unless null. */
  private Path write(String environment, Path key) {
    RestorePoint point = RestorePointGateTest.point(environment, DIGEST, NOW);
    Path evidence = dir.resolve("restore-point.json");
    RestorePointEvidence.write(point, evidence, Optional.ofNullable(key)
        .map(k -> RestorePointSignature.sign(point, SshSigner.fromKeyFile(k, null))));
    return evidence;
  }

  /** The gate on the evidence file and the signature next to it, as {@code promote --restore-point} reads them. */
  private Decision decide(String environment, Path evidence) {
    GateRequest.Builder request = GateRequest.builder(Candidate.promotion(environment, "odoo", DIGEST))
        .initiator("alice").at(NOW).restorePoint(RestorePointEvidence.read(evidence));
    RestorePointSignature.readNextTo(evidence).ifPresent(request::restorePointSignature);
    return policy.evaluate(request.build());
  }

  private static RuleResult rule(Decision decision) {
    return decision.rules().stream().filter(r -> r.rule().equals("restore-point")).findFirst().orElseThrow();
  }
}
