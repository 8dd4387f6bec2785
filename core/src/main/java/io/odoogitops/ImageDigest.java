package io.odoogitops;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.io.Serializable;
import java.util.regex.Pattern;

/**
 * The identity of an image: {@code sha256:} and 64 lowercase hex digits. Tags move and short digests collide, so
 * every part of the product that binds something to an image (approvals, dry-run verdicts, promotions) accepts only
 * this form.
 *
 * <p>A value of this type is a valid digest by construction. Text becomes a digest once, where it enters the product
 * (a flag, a file, a trailer, a registry's answer) through {@link #parse}, whose refusal names the input. In JSON it
 * is the plain {@code "sha256:…"} string, so signed reports and records keep their bytes; it is serializable for the
 * Jenkins plugin's remoting, and deserializing checks it again through the canonical constructor.
 *
 * @param value {@code sha256:} followed by 64 lowercase hex digits
 */
public record ImageDigest(String value) implements Serializable {

  private static final long serialVersionUID = 1L;

  private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

  public ImageDigest {
    if (!isValid(value)) {
      throw refusal(value, "the digest");
    }
  }

  /**
   * Parses a full digest, else fails as bad input.
   *
   * @param what how to name the value in the message, e.g. "--digest" or "the candidate digest"
   */
  public static ImageDigest parse(String text, String what) {
    if (!isValid(text)) {
      throw refusal(text, what);
    }
    return new ImageDigest(text);
  }

  /** The digest {@code text} names, or {@code null} when it is absent or not a full digest (lenient readers). */
  public static ImageDigest orNull(String text) {
    return isValid(text) ? new ImageDigest(text) : null;
  }

  // Jackson reads a digest from its plain string; readers report a refusal with the file it came from.
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  static ImageDigest fromJson(String text) {
    return parse(text, "the digest");
  }

  public static boolean isValid(String text) {
    return text != null && DIGEST.matcher(text).matches();
  }

  private static ReleaseException refusal(String digest, String what) {
    return ReleaseException.badInput(what + " '" + digest + "' is not an image digest; write sha256: followed by"
        + " 64 lowercase hex digits (see 'skopeo inspect' or the build output)");
  }

  /** The full digest as text, or {@code null} for no digest: for maps of plain values (Jenkins step results). */
  public static String text(ImageDigest digest) {
    return digest == null ? null : digest.value;
  }

  /** {@code sha256:1a2b3c4d5e6f}, or {@code (none)} for no digest — enough for humans in subjects and listings. */
  public static String shortForm(ImageDigest digest) {
    return digest == null ? "(none)" : digest.shortForm();
  }

  /** {@code sha256:1a2b3c4d5e6f} — enough for humans in subjects and listings. */
  public String shortForm() {
    return value.substring(0, "sha256:".length() + 12);
  }

  /** The full digest, as written in manifests, trailers, registries and JSON. */
  @JsonValue
  @Override
  public String value() {
    return value;
  }

  /** The full digest, as written in manifests, trailers and registries. */
  @Override
  public String toString() {
    return value;
  }
}
