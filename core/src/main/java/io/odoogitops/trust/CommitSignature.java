package io.odoogitops.trust;

/**
 * What the signature of one commit proves under the trust root, for one role.
 *
 * @param format {@code ssh}, {@code openpgp}, or {@code null} when unsigned or unreadable
 * @param signer the principal of the trust root the key belongs to; {@code null} unless trusted
 * @param fingerprint of the signing key when one could be read ({@code SHA256:...} or an OpenPGP fingerprint)
 * @param detail one sentence for people
 */
public record CommitSignature(String commitId, Status status, String format, String signer, String fingerprint,
    String detail) {

  /** The four answers. */
  public enum Status {
    /** Signed by a key of the role, and the signature covers the commit. */
    TRUSTED,
    /** No {@code gpgsig} header. */
    UNSIGNED,
    /** A signature that does not verify: the commit was changed after signing, or the signature is forged. */
    INVALID,
    /** A valid signature by a key that is not one of the role's in the trust root. */
    UNTRUSTED
  }

  public boolean trusted() {
    return status == Status.TRUSTED;
  }

  /** {@code abc123def456 (unsigned)}-style text for a report line. */
  public String summary() {
    String shortId = commitId.length() > 12 ? commitId.substring(0, 12) : commitId;
    return shortId + ": " + detail;
  }
}
