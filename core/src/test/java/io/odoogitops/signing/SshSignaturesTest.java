package io.odoogitops.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.odoogitops.ReleaseException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SSHSIG signatures against the real ssh-keygen, both ways, for every software key type. */
class SshSignaturesTest {

  static final String NAMESPACE = "odoo-gitops";
  static final byte[] MESSAGE = "odoo-gitops vote v1\nenvironment: production\n".getBytes(StandardCharsets.UTF_8);
  static final Instant NOW = Instant.parse("2026-11-20T10:00:00Z");

  @TempDir static Path keys;
  static Map<String, Path> byType;

  @BeforeAll
  static void keys() throws Exception {
    SshKeygen.require();
    byType = Map.of(
        "ed25519", SshKeygen.generate(keys, "ed25519", "ed25519", null, null),
        "ecdsa", SshKeygen.generate(keys, "ecdsa", "ecdsa", "256", null),
        "ecdsa384", SshKeygen.generate(keys, "ecdsa384", "ecdsa", "384", null),
        "rsa", SshKeygen.generate(keys, "rsa", "rsa", "3072", null));
  }

  @ParameterizedTest
  @ValueSource(strings = {"ed25519", "ecdsa", "ecdsa384", "rsa"})
  void signaturesMadeBySshKeygenVerify(String type) throws Exception {
    Path key = byType.get(type);
    SshSignature signature = SshSignature.parseArmored(SshKeygen.sign(key, NAMESPACE, MESSAGE));

    SignatureCheck check = SshSignatures.verify(MESSAGE, signature, NAMESPACE);

    assertThat(check.valid()).as(check.detail()).isTrue();
    assertThat(SshKeys.same(check.key(), SshKeys.parse(SshKeygen.publicKey(key)))).isTrue();
    assertThat(check.fingerprint()).isEqualTo(fingerprintBySshKeygen(key));
    if (type.equals("rsa")) {
      assertThat(signature.signatureAlgorithm()).isEqualTo("rsa-sha2-512");
    }
    // One changed byte, or another namespace, and it is no longer valid.
    byte[] tampered = MESSAGE.clone();
    tampered[tampered.length - 2] ^= 1;
    assertThat(SshSignatures.verify(tampered, signature, NAMESPACE).problem())
        .isEqualTo(SignatureCheck.Problem.BAD_SIGNATURE);
    assertThat(SshSignatures.verify(MESSAGE, signature, "git").problem())
        .isEqualTo(SignatureCheck.Problem.NAMESPACE_MISMATCH);
  }

  @ParameterizedTest
  @ValueSource(strings = {"ed25519", "ecdsa", "ecdsa384", "rsa"})
  void signaturesMadeByTheProductVerifyWithSshKeygen(String type) throws Exception {
    Path key = byType.get(type);
    SshSignature signature = SshSigner.fromKeyFile(key, null).sign(MESSAGE, NAMESPACE);
    Path allowed = keys.resolve("allowed-" + type);
    Files.writeString(allowed, "carol namespaces=\"odoo-gitops\" " + SshKeygen.publicKey(key) + "\n");

    SshKeygen.Run good = SshKeygen.verify(allowed, "carol", NAMESPACE, signature.armored(), MESSAGE, keys);
    SshKeygen.Run otherIdentity = SshKeygen.verify(allowed, "dave", NAMESPACE, signature.armored(), MESSAGE, keys);
    SshKeygen.Run tampered = SshKeygen.verify(allowed, "carol", NAMESPACE, signature.armored(),
        "something else".getBytes(StandardCharsets.UTF_8), keys);

    assertThat(good.exit()).as(good.stderr()).isZero();
    assertThat(good.stdout()).contains("Good \"odoo-gitops\" signature for carol");
    assertThat(otherIdentity.exit()).isNotZero();
    assertThat(tampered.exit()).isNotZero();
    // and the product reads back what it wrote
    assertThat(SshSignatures.verify(MESSAGE, SshSignature.parseArmored(signature.armored()), NAMESPACE).valid())
        .isTrue();
  }

  @Test
  void encryptedKeysNeedTheirPassphraseAndTheMessageNeverShowsIt() throws Exception {
    Path key = SshKeygen.generate(keys, "encrypted", "ed25519", null, "correct horse battery");

    assertThatThrownBy(() -> SshSigner.fromKeyFile(key, null)).isInstanceOf(ReleaseException.class)
        .hasMessageContaining("is encrypted").hasMessageContaining("--key-passphrase-file");
    assertThatThrownBy(() -> SshSigner.fromKeyFile(key, "wrong horse")).isInstanceOf(ReleaseException.class)
        .hasMessageContaining("wrong passphrase").hasMessageNotContaining("wrong horse");
    SshSigner signer = SshSigner.fromKeyFile(key, "correct horse battery");
    SshSignature signature = signer.sign(MESSAGE, NAMESPACE);
    assertThat(SshSignatures.verify(MESSAGE, signature, NAMESPACE).valid()).isTrue();
    assertThat(signer.toString()).startsWith("SshSigner[ssh-ed25519 SHA256:");
  }

  @Test
  void aPublicKeyFileOrGarbageIsNoPrivateKeyAndNothingOfItIsEchoed() throws Exception {
    Path pub = Path.of(byType.get("ed25519") + ".pub");
    Path garbage = Files.writeString(keys.resolve("garbage"), "-----BEGIN OPENSSH PRIVATE KEY-----\nc2VjcmV0\n");

    assertThatThrownBy(() -> SshSigner.fromKeyFile(pub, null)).isInstanceOf(ReleaseException.class)
        .hasMessageNotContaining("AAAA");
    assertThatThrownBy(() -> SshSigner.fromKeyFile(garbage, null)).isInstanceOf(ReleaseException.class)
        .hasMessageNotContaining("c2VjcmV0");
    assertThatThrownBy(() -> SshSigner.fromKeyFile(keys.resolve("missing"), null))
        .hasMessageContaining("does not exist");
  }

  @Test
  void sshRsaSha1SignaturesAreRefused() throws Exception {
    Path key = byType.get("rsa");
    SshSignature good = SshSignature.parseArmored(SshKeygen.sign(key, NAMESPACE, MESSAGE));
    org.apache.sshd.common.util.buffer.ByteArrayBuffer blob = new org.apache.sshd.common.util.buffer.ByteArrayBuffer();
    blob.putString("ssh-rsa");
    blob.putBytes(new byte[384]);
    SshSignature sha1 = new SshSignature(good.publicKey(), NAMESPACE, "sha512", blob.getCompactData());

    SignatureCheck check = SshSignatures.verify(MESSAGE, sha1, NAMESPACE);

    assertThat(check.problem()).isEqualTo(SignatureCheck.Problem.UNSUPPORTED_ALGORITHM);
    assertThat(check.detail()).contains("SHA-1");
  }

  @Test
  void malformedArmorIsRefusedWithAReason() {
    assertThatThrownBy(() -> SshSignature.parseArmored("hello")).hasMessageContaining("not an armored SSH signature");
    assertThatThrownBy(() -> SshSignature.parseArmored(SshSignature.BEGIN + "\n!!!!\n" + SshSignature.END))
        .hasMessageContaining("base64");
    assertThatThrownBy(() -> SshSignature.parseArmored(SshSignature.BEGIN + "\nU1NIU0lHAAAAAQ==\n"
        + SshSignature.END)).hasMessageContaining("truncated or malformed");
  }

  @Test
  void findPrincipalsAgreesWithSshKeygen() throws Exception {
    Path key = byType.get("ecdsa");
    String line = SshKeygen.publicKey(key);
    String file = "carol@example.com,carol namespaces=\"odoo-gitops\" " + line + "\n"
        + "erin namespaces=\"git\" " + line + "\n";
    Path allowed = Files.writeString(keys.resolve("find-principals"), file);
    String armored = SshKeygen.sign(key, NAMESPACE, MESSAGE);
    Path sig = Files.writeString(keys.resolve("fp.sig"), armored);

    SshKeygen.Run found = SshKeygen.run(List.of("ssh-keygen", "-Y", "find-principals", "-n", NAMESPACE, "-f",
        allowed.toString(), "-s", sig.toString()), null);
    PublicKey signer = SshSignature.parseArmored(armored).publicKey();

    assertThat(found.exit()).as(found.stderr()).isZero();
    assertThat(AllowedSigners.parse(file, "allowed_signers").principalsFor(signer, NAMESPACE, NOW))
        .containsExactlyElementsOf(found.stdout().strip().lines().toList());
  }

  private static String fingerprintBySshKeygen(Path key) throws Exception {
    SshKeygen.Run run = SshKeygen.run(List.of("ssh-keygen", "-l", "-E", "sha256", "-f", key + ".pub"), null);
    return run.stdout().split("\\s+")[1];
  }
}
