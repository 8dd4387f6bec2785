package io.odoogitops.signing;

import java.security.PublicKey;
import java.util.Base64;
import java.util.Set;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.digest.BuiltinDigests;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;

/** Public keys in OpenSSH's one-line form ({@code ssh-ed25519 AAAA... comment}), parsed by sshd. */
public final class SshKeys {

  /** Key types a signer may use; certificates and DSA are not among them. */
  static final Set<String> KEY_TYPES = Set.of("ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
      "ecdsa-sha2-nistp521", "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com");

  private SshKeys() {}

  /**
   * Parses {@code type base64 [comment]}.
   *
   * @throws IllegalArgumentException saying what is wrong, without echoing the key
   */
  public static PublicKey parse(String line) {
    String[] parts = line.strip().split("\\s+", 3);
    if (parts.length < 2) {
      throw new IllegalArgumentException("not a public key; write it as ssh-keygen prints it: 'TYPE BASE64 [comment]'"
          + " (e.g. the line of ~/.ssh/id_ed25519.pub)");
    }
    return parse(parts[0], parts[1]);
  }

  /** Parses a key given as its type and base64 blob. */
  public static PublicKey parse(String type, String base64) {
    if (type.endsWith("-cert-v01@openssh.com")) {
      throw new IllegalArgumentException("'" + type + "' is an SSH certificate; certificates are not supported for"
          + " signatures here, list the signer's own public key");
    }
    if (!KEY_TYPES.contains(type)) {
      throw new IllegalArgumentException("unsupported key type '" + type + "'; use one of "
          + String.join(", ", KEY_TYPES.stream().sorted().toList()));
    }
    byte[] blob;
    try {
      blob = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the " + type + " key is not valid base64");
    }
    PublicKey key = fromBlob(blob);
    if (!type.equals(KeyUtils.getKeyType(key))) {
      throw new IllegalArgumentException("the key is declared as " + type + " but its data is a "
          + KeyUtils.getKeyType(key) + " key");
    }
    return key;
  }

  /** Decodes an SSH wire-format public key blob. */
  static PublicKey fromBlob(byte[] blob) {
    try {
      ByteArrayBuffer buffer = new ByteArrayBuffer(blob);
      PublicKey key = buffer.getRawPublicKey();
      if (buffer.available() != 0) {
        throw new IllegalArgumentException("the public key has trailing data");
      }
      String type = KeyUtils.getKeyType(key);
      if (type == null || !KEY_TYPES.contains(type)) {
        throw new IllegalArgumentException("unsupported key type '" + type + "'");
      }
      return key;
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (RuntimeException | java.io.IOException e) {
      throw new IllegalArgumentException("the public key data cannot be decoded (" + e.getClass().getSimpleName()
          + ")");
    }
  }

  /** The SSH wire-format blob of {@code key}. */
  static byte[] blob(PublicKey key) {
    ByteArrayBuffer buffer = new ByteArrayBuffer();
    buffer.putRawPublicKey(key);
    return buffer.getCompactData();
  }

  /** {@code TYPE BASE64}, as in an authorized_keys or allowed_signers line. */
  public static String format(PublicKey key) {
    return type(key) + " " + Base64.getEncoder().encodeToString(blob(key));
  }

  /** The key's SSH type name, e.g. {@code ssh-ed25519}. */
  public static String type(PublicKey key) {
    return KeyUtils.getKeyType(key);
  }

  /** {@code SHA256:...}, as {@code ssh-keygen -l} prints it. */
  public static String fingerprint(PublicKey key) {
    return KeyUtils.getFingerPrint(BuiltinDigests.sha256, key);
  }

  /** Whether two keys are the same key (by their SSH encoding, which includes an sk key's application). */
  public static boolean same(PublicKey a, PublicKey b) {
    return java.util.Arrays.equals(blob(a), blob(b));
  }
}
