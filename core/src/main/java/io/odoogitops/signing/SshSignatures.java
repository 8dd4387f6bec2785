package io.odoogitops.signing;

import java.security.PublicKey;
import java.util.Map;
import java.util.Set;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.u2f.SecurityKeyPublicKey;
import org.apache.sshd.common.signature.BuiltinSignatures;
import org.apache.sshd.common.signature.Signature;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;

/**
 * Verifies SSHSIG signatures the way {@code ssh-keygen -Y verify} / {@code check-novalidate} does: namespace first,
 * then the signature over {@code SSHSIG || namespace || reserved || hash_alg || H(message)} with the embedded key.
 * For hardware keys (PROTOCOL.u2f) sshd's sk algorithms check the signature over {@code SHA256(application) || flags
 * || counter || SHA256(signed data)} and the user-presence flag.
 */
public final class SshSignatures {

  /** Signature algorithms accepted per key type; ssh-rsa (SHA-1) is refused, as OpenSSH refuses it for SSHSIG. */
  private static final Map<String, Set<String>> ALGORITHMS = Map.of(
      "ssh-ed25519", Set.of("ssh-ed25519"),
      "ssh-rsa", Set.of("rsa-sha2-256", "rsa-sha2-512"),
      "ecdsa-sha2-nistp256", Set.of("ecdsa-sha2-nistp256"),
      "ecdsa-sha2-nistp384", Set.of("ecdsa-sha2-nistp384"),
      "ecdsa-sha2-nistp521", Set.of("ecdsa-sha2-nistp521"),
      "sk-ssh-ed25519@openssh.com", Set.of("sk-ssh-ed25519@openssh.com"),
      "sk-ecdsa-sha2-nistp256@openssh.com", Set.of("sk-ecdsa-sha2-nistp256@openssh.com"));

  private SshSignatures() {}

  /** Checks {@code signature} over {@code message} in {@code namespace}; never throws for a bad signature. */
  public static SignatureCheck verify(byte[] message, SshSignature signature, String namespace) {
    PublicKey key = signature.publicKey();
    String fingerprint = SshKeys.fingerprint(key);
    if (!signature.namespace().equals(namespace)) {
      return new SignatureCheck(key, SignatureCheck.Problem.NAMESPACE_MISMATCH, "signed for namespace '"
          + printable(signature.namespace()) + "', not '" + namespace + "' (key " + fingerprint + ")");
    }
    String algorithm = signature.signatureAlgorithm();
    String keyType = KeyUtils.getKeyType(key);
    if (!ALGORITHMS.getOrDefault(keyType, Set.of()).contains(algorithm)) {
      return new SignatureCheck(key, SignatureCheck.Problem.UNSUPPORTED_ALGORITHM, "signature algorithm '"
          + printable(algorithm) + "' is not accepted for a " + keyType + " key"
          + ("ssh-rsa".equals(algorithm) ? " (SHA-1; sign with rsa-sha2-512)" : "") + " (key " + fingerprint + ")");
    }
    if (key instanceof SecurityKeyPublicKey<?> sk && !sk.isNoTouchRequired() && !userPresent(signature)) {
      // PROTOCOL.u2f: without the user-presence flag nobody touched the token; sshd would only say "invalid".
      return new SignatureCheck(key, SignatureCheck.Problem.USER_NOT_PRESENT, "the hardware key " + fingerprint
          + " was not touched for this signature (user-presence flag missing)");
    }
    byte[] data = SshSignature.signedData(namespace, signature.hashAlgorithm(), message);
    boolean valid;
    try {
      Signature verifier = BuiltinSignatures.fromFactoryName(algorithm).create();
      verifier.initVerifier(null, key);
      verifier.update(null, data);
      valid = verifier.verify(null, signature.signature());
    } catch (Exception e) {
      // sshd reports malformed signature blobs by throwing; that means "not valid" too.
      valid = false;
    }
    if (!valid) {
      return new SignatureCheck(key, SignatureCheck.Problem.BAD_SIGNATURE, "the signature does not match the"
          + " signed content (changed after signing, or forged) for key " + fingerprint);
    }
    return new SignatureCheck(key, null, "good " + keyType + " signature by " + fingerprint);
  }

  /** The user-presence bit of an sk signature blob: {@code string alg, string sig, byte flags, uint32 counter}. */
  private static boolean userPresent(SshSignature signature) {
    try {
      ByteArrayBuffer buffer = new ByteArrayBuffer(signature.signature());
      buffer.getString();
      buffer.getBytes();
      return (buffer.getByte() & 0x01) != 0;
    } catch (RuntimeException e) {
      return true; // unreadable: reported as a bad signature instead
    }
  }

  /** Names from a signature are attacker-chosen: no control characters into messages, and not too long. */
  static String printable(String text) {
    String flat = text.replaceAll("[\\p{Cntrl}\\u2028\\u2029]", "?");
    return flat.length() > 64 ? flat.substring(0, 61) + "..." : flat;
  }
}
