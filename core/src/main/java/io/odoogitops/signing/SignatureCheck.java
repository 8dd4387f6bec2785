package io.odoogitops.signing;

import java.security.PublicKey;

/**
 * The outcome of checking one signature over one message: whether it is cryptographically valid in the expected
 * namespace, and which key made it. Whether that key is trusted is a question for {@link AllowedSigners}.
 *
 * @param problem {@code null} when valid
 * @param detail one sentence for people, naming the key's fingerprint but never key material
 */
public record SignatureCheck(PublicKey key, Problem problem, String detail) {

  /** Why a signature is not valid. */
  public enum Problem {
    /** The signature was made for another purpose (namespace), e.g. a git commit signature offered as a vote. */
    NAMESPACE_MISMATCH,
    /** The algorithm is refused: ssh-rsa (SHA-1) or one that does not fit the key. */
    UNSUPPORTED_ALGORITHM,
    /** The signature does not match the message and key: the message was changed or the signature forged. */
    BAD_SIGNATURE,
    /** A hardware key's signature without proof that a user touched the key, although the key requires it. */
    USER_NOT_PRESENT
  }

  public boolean valid() {
    return problem == null;
  }

  /** The fingerprint of the signing key ({@code SHA256:...}). */
  public String fingerprint() {
    return key == null ? "?" : SshKeys.fingerprint(key);
  }
}
