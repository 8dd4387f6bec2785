package io.odoogitops.jenkins.gate;

import static org.assertj.core.api.Assertions.assertThat;

import io.odoogitops.jenkins.testing.TestKeys;
import io.odoogitops.policy.DryRunEvidence;
import io.odoogitops.signing.SignatureCheck;
import io.odoogitops.signing.SshSignatures;
import io.odoogitops.signing.SshSigner;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The check of dry-run.json.sig travels from the agent and through build.xml without losing what the gate needs. */
class DryRunSignatureTest {

  @TempDir
  Path dir;

  @Test
  void aValidSignatureKeepsItsKey() throws Exception {
    SshSigner key = SshSigner.fromKeyFile(TestKeys.ed25519(dir, "dryrun"), null);
    byte[] report = "{\"schemaVersion\":1}".getBytes(StandardCharsets.UTF_8);
    SignatureCheck check = SshSignatures.verify(report, key.sign(report, DryRunEvidence.SIGNATURE_NAMESPACE),
        DryRunEvidence.SIGNATURE_NAMESPACE);
    assertThat(check.valid()).isTrue();

    SignatureCheck back = roundTrip(DryRunSignature.of(check)).check();
    assertThat(back.valid()).isTrue();
    assertThat(back.fingerprint()).isEqualTo(check.fingerprint());
    assertThat(DryRunSignature.evidence("sha256:" + "3".repeat(64), "PASS", "sha256:" + "4".repeat(64),
        DryRunSignature.of(check)).signature().fingerprint()).isEqualTo(check.fingerprint());
  }

  @Test
  void aSignatureInAnotherNamespaceStaysRefused() throws Exception {
    SshSigner key = SshSigner.fromKeyFile(TestKeys.ed25519(dir, "voter"), null);
    byte[] report = "{}".getBytes(StandardCharsets.UTF_8);
    SignatureCheck check = SshSignatures.verify(report, key.sign(report, "odoo-gitops"),
        DryRunEvidence.SIGNATURE_NAMESPACE);
    assertThat(check.valid()).isFalse();
    SignatureCheck back = roundTrip(DryRunSignature.of(check)).check();
    assertThat(back.problem()).isEqualTo(check.problem());
    assertThat(back.detail()).isEqualTo(check.detail());
  }

  @Test
  void anUnsignedReportHasNoSignature() {
    assertThat(DryRunSignature.of(null)).isNull();
    assertThat(DryRunSignature.evidence("sha256:" + "3".repeat(64), "PASS", "sha256:" + "4".repeat(64), null)
        .signature()).isNull();
  }

  private static DryRunSignature roundTrip(DryRunSignature signature) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(signature);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (DryRunSignature) in.readObject();
    }
  }
}
