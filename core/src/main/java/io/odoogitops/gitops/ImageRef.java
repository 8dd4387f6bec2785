package io.odoogitops.gitops;

import io.odoogitops.ImageDigest;
import io.odoogitops.ReleaseException;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An image reference pinned by digest: {@code repository[:tag]@sha256:<64 hex>}. Promotions only ever move digests;
 * a tag is kept for humans but never trusted.
 *
 * @param repository e.g. {@code registry.example.com/acme/odoo}
 * @param tag optional, e.g. {@code 17.0-1a2b3c4}; {@code null} when absent
 * @param digest {@code sha256:} followed by 64 lowercase hex digits
 */
public record ImageRef(String repository, String tag, String digest) {

  // Path components as in the OCI distribution spec; an optional registry host with port comes first.
  private static final Pattern REPOSITORY = Pattern.compile(
      "(?:[a-zA-Z0-9.-]+(?::[0-9]+)?/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*");
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
  private static final Pattern FULL = Pattern.compile("^([^@]+?)(?::([^:/@]+))?(?:@(.*))?$");

  public ImageRef {
    Objects.requireNonNull(repository, "repository");
    Objects.requireNonNull(digest, "digest");
  }

  /** Parses a reference that must carry a digest; every refusal says what a good one looks like. */
  public static ImageRef parse(String text) {
    if (text == null || text.isBlank()) {
      throw ReleaseException.badInput("no image given; pass --image <repository>@sha256:<digest>");
    }
    Matcher m = FULL.matcher(text.trim());
    if (!m.matches()) {
      throw malformed(text, "it is not of the form repository[:tag]@sha256:<digest>");
    }
    String repository = m.group(1);
    String tag = m.group(2);
    String digest = m.group(3);
    if (digest == null) {
      throw malformed(text, "it has no digest; promotions are pinned by digest, never by tag (find it with"
          + " 'skopeo inspect docker://" + text.trim() + "' or the build output)");
    }
    if (!REPOSITORY.matcher(repository).matches()) {
      throw malformed(text, "'" + repository + "' is not a valid repository name");
    }
    if (tag != null && !TAG.matcher(tag).matches()) {
      throw malformed(text, "'" + tag + "' is not a valid tag");
    }
    if (!ImageDigest.isValid(digest)) {
      throw malformed(text, "the digest must be 'sha256:' followed by 64 lowercase hex digits");
    }
    return new ImageRef(repository, tag, digest);
  }

  private static ReleaseException malformed(String text, String why) {
    return ReleaseException.badInput("malformed image reference '" + text + "': " + why);
  }

  public ImageRef withRepository(String newRepository) {
    return new ImageRef(newRepository, tag, digest);
  }

  /** The reference as written into manifests: {@code repository[:tag]@digest}. */
  public String pinned() {
    return repository + (tag == null ? "" : ":" + tag) + "@" + digest;
  }

  /** {@code sha256:1a2b3c4d5e6f} — enough for humans in subjects and listings. */
  public String shortDigest() {
    return ImageDigest.shortForm(digest);
  }



  @Override
  public String toString() {
    return pinned();
  }
}
