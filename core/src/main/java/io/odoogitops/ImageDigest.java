package io.odoogitops;

import java.util.regex.Pattern;

/**
 * The identity of an image: {@code sha256:} and 64 lowercase hex digits. Tags move and short digests collide, so
 * every part of the product that binds something to an image (approvals, dry-run verdicts, promotions) accepts only
 * this form.
 *
 * <p>A value of this type is a valid digest by construction. Most of the product still passes digests as strings
 * (issue 18 item 3 moves them over where it pays); the static helpers serve those callers.
 *
 * @param value {@code sha256:} followed by 64 lowercase hex digits
 */
public record ImageDigest(String value) {

  private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

  public ImageDigest {
    require(value, "the digest");
  }

  /**
   * Parses a full digest, else fails as bad input.
   *
   * @param what how to name the value in the message, e.g. "--digest" or "the candidate digest"
   */
  public static ImageDigest parse(String text, String what) {
    return new ImageDigest(require(text, what));
  }

  public static boolean isValid(String text) {
    return text != null && DIGEST.matcher(text).matches();
  }

  /**
   * Returns {@code digest} if it is a full digest, else fails as bad input.
   *
   * @param what how to name the value in the message, e.g. "--digest" or "the candidate digest"
   */
  public static String require(String digest, String what) {
    if (!isValid(digest)) {
      throw ReleaseException.badInput(what + " '" + digest + "' is not an image digest; write sha256: followed by"
          + " 64 lowercase hex digits (see 'skopeo inspect' or the build output)");
    }
    return digest;
  }

  /** {@code sha256:1a2b3c4d5e6f} — enough for humans in subjects and listings. */
  public static String shortForm(String digest) {
    return digest == null ? "(none)" : digest.substring(0, Math.min(digest.length(), "sha256:".length() + 12));
  }

  /** {@code sha256:1a2b3c4d5e6f} — enough for humans in subjects and listings. */
  public String shortForm() {
    return shortForm(value);
  }

  /** The full digest, as written in manifests, trailers and registries. */
  @Override
  public String toString() {
    return value;
  }
}
