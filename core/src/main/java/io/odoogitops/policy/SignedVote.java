package io.odoogitops.policy;

import io.odoogitops.signing.SshSignature;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A vote file: the canonical payload of a {@link VoteStatement} followed by the armored SSH signature over exactly
 * those bytes. To check one by hand:
 *
 * <pre>
 * sed '/^-----BEGIN SSH SIGNATURE-----$/,$d' carol.vote > payload
 * sed -n '/^-----BEGIN SSH SIGNATURE-----$/,$p' carol.vote > payload.sig
 * ssh-keygen -Y verify -n odoo-gitops -I carol -f allowed_signers -s payload.sig < payload
 * </pre>
 *
 * @param source where the file came from (a path, or {@code repo:votes/...}), for messages
 */
public record SignedVote(VoteStatement statement, SshSignature signature, String source) {

  /** A payload and an RSA-4096 signature are under 2 kB. */
  public static final int MAX_BYTES = 16 * 1024;
  public static final String SUFFIX = ".vote";

  public SignedVote {
    Objects.requireNonNull(statement, "statement");
    Objects.requireNonNull(signature, "signature");
  }

  /** The file's bytes. */
  public byte[] toBytes() {
    byte[] payload = statement.canonical();
    byte[] armor = signature.armored().getBytes(StandardCharsets.US_ASCII);
    byte[] file = Arrays.copyOf(payload, payload.length + armor.length);
    System.arraycopy(armor, 0, file, payload.length, armor.length);
    return file;
  }

  /** Whether {@code bytes} look like a vote file rather than a YAML list of votes. */
  public static boolean looksLikeVoteFile(byte[] bytes) {
    byte[] header = (VoteStatement.HEADER + "\n").getBytes(StandardCharsets.US_ASCII);
    return bytes.length >= header.length && Arrays.equals(Arrays.copyOf(bytes, header.length), header);
  }

  /**
   * Reads a vote file.
   *
   * @throws IllegalArgumentException naming what is malformed (never counted; the caller reports it)
   */
  public static SignedVote parse(byte[] bytes, String source) {
    if (bytes.length > MAX_BYTES) {
      throw new IllegalArgumentException(bytes.length + " bytes is too large for a vote file");
    }
    byte[] marker = ("\n" + SshSignature.BEGIN + "\n").getBytes(StandardCharsets.US_ASCII);
    int at = indexOf(bytes, marker);
    if (at < 0) {
      if (looksLikeVoteFile(bytes)) {
        throw new IllegalArgumentException("unsigned: no '" + SshSignature.BEGIN + "' block after the payload");
      }
      throw new IllegalArgumentException("not a vote file (it must start with '" + VoteStatement.HEADER + "')");
    }
    byte[] payload = Arrays.copyOf(bytes, at + 1);
    String armor = new String(bytes, at + 1, bytes.length - at - 1, StandardCharsets.US_ASCII);
    VoteStatement statement = VoteStatement.parse(payload);
    SshSignature signature;
    try {
      signature = SshSignature.parseArmored(armor);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unreadable signature: " + e.getMessage());
    }
    return new SignedVote(statement, signature, source);
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
