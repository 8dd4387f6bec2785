package io.odoogitops.signing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.u2f.SkEcdsaPublicKey;
import org.apache.sshd.common.config.keys.u2f.SkED25519PublicKey;
import org.apache.sshd.common.signature.BuiltinSignatures;
import org.apache.sshd.common.signature.Signature;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hardware (FIDO/U2F) key signatures, without hardware: vectors built by hand the way PROTOCOL.u2f says an
 * authenticator signs — over {@code SHA256(application) || flags || counter || SHA256(SSHSIG signed data)} — with the
 * key pair standing in for the token's. The product must accept them, and refuse them untouched or altered.
 */
class HardwareKeySignatureTest {

  static final byte[] MESSAGE = "odoo-gitops vote v1\n".getBytes(StandardCharsets.UTF_8);
  static final byte USER_PRESENT = 0x01;

  @ParameterizedTest
  @ValueSource(strings = {"sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com"})
  void touchedSignaturesVerifyUntouchedOrAlteredDoNot(String type) throws Exception {
    boolean ed25519 = type.startsWith("sk-ssh-ed25519");
    KeyPair token = KeyUtils.generateKeyPair(ed25519 ? "ssh-ed25519" : "ecdsa-sha2-nistp256", ed25519 ? 256 : 256);
    PublicKey skKey = ed25519 ? new SkED25519PublicKey("ssh:", false, token.getPublic())
        : new SkEcdsaPublicKey("ssh:", false, (ECPublicKey) token.getPublic());
    // the public key survives its own encoding, as in an allowed_signers line
    assertThat(SshKeys.same(SshKeys.parse(SshKeys.format(skKey)), skKey)).isTrue();

    SshSignature touched = sign(token, skKey, type, USER_PRESENT, 7, MESSAGE);
    SshSignature untouched = sign(token, skKey, type, (byte) 0, 8, MESSAGE);
    SshSignature reread = SshSignature.parseArmored(touched.armored());

    assertThat(SshSignatures.verify(MESSAGE, reread, "odoo-gitops").valid()).isTrue();
    assertThat(SshSignatures.verify(MESSAGE, untouched, "odoo-gitops").problem())
        .isEqualTo(SignatureCheck.Problem.USER_NOT_PRESENT);
    assertThat(SshSignatures.verify("other".getBytes(StandardCharsets.UTF_8), touched, "odoo-gitops").problem())
        .isEqualTo(SignatureCheck.Problem.BAD_SIGNATURE);
  }

  private static SshSignature sign(KeyPair token, PublicKey skKey, String type, byte flags, long counter,
      byte[] message) throws Exception {
    byte[] signedData = SshSignature.signedData("odoo-gitops", "sha512", message);
    ByteArrayBuffer challenge = new ByteArrayBuffer();
    challenge.putRawBytes(sha256("ssh:".getBytes(StandardCharsets.UTF_8)));
    challenge.putByte(flags);
    challenge.putUInt(counter);
    challenge.putRawBytes(sha256(signedData));
    String plain = type.startsWith("sk-ssh-ed25519") ? "ssh-ed25519" : "ecdsa-sha2-nistp256";
    Signature signer = BuiltinSignatures.fromFactoryName(plain).create();
    signer.initSigner(null, token.getPrivate());
    signer.update(null, challenge.getCompactData());
    byte[] raw = signer.sign(null);
    ByteArrayBuffer blob = new ByteArrayBuffer();
    blob.putString(type);
    blob.putBytes(raw);
    blob.putByte(flags);
    blob.putUInt(counter);
    return new SshSignature(skKey, "odoo-gitops", "sha512", blob.getCompactData());
  }

  private static byte[] sha256(byte[] data) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(data);
  }
}
