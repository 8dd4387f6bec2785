package io.odoogitops;

import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import java.util.Objects;

/**
 * An image reference pinned by digest: {@code repository[:tag]@sha256:<64 hex>}. Promotions only ever move digests;
 * a tag is kept for humans but never trusted.
 *
 * <p>There is one grammar for image references in the product: jib's {@link ImageReference#parse}, the same one the
 * image builder uses. On top of it a pinned reference must carry a full {@code sha256:} digest ({@link ImageDigest}).
 *
 * <p>The components keep what the user wrote: {@code odoo@sha256:…} has repository {@code odoo}, never
 * {@code registry-1.docker.io/library/odoo}, because {@link #pinned()} is written back into the user's manifests and
 * trailers and those edits are byte-exact. Where the product <em>compares</em> repositories (is this the image of
 * the application's repository, is this the image a manifest runs) it compares the normalized form, see
 * {@link #sameRepository(String)}, so {@code odoo} and {@code docker.io/library/odoo} are the same repository.
 *
 * @param repository as written, e.g. {@code registry.example.com/acme/odoo} or {@code odoo}
 * @param tag optional, e.g. {@code 17.0-1a2b3c4}; {@code null} when absent
 * @param digest {@code sha256:} followed by 64 lowercase hex digits
 */
public record ImageRef(String repository, String tag, String digest) {

  public ImageRef {
    Objects.requireNonNull(repository, "repository");
    ImageDigest.require(digest, "the digest of image " + repository);
  }

  /** Parses a reference that must carry a digest; every refusal says what a good one looks like. */
  public static ImageRef parse(String text) {
    if (text == null || text.isBlank()) {
      throw ReleaseException.badInput("no image given; pass --image <repository>@sha256:<digest>");
    }
    String trimmed = text.trim();
    ImageReference parsed;
    try {
      parsed = ImageReference.parse(trimmed);
    } catch (InvalidImageReferenceException | RuntimeException e) {
      throw malformed(text, "it is not of the form [registry[:port]/]repository[:tag]@sha256:<64 lowercase hex digits>"
          + " with a lowercase repository name");
    }
    String digest = parsed.getDigest().orElse(null);
    if (digest == null) {
      throw malformed(text, "it has no digest; promotions are pinned by digest, never by tag (find it with"
          + " 'skopeo inspect docker://" + trimmed + "' or the build output)");
    }
    if (!ImageDigest.isValid(digest)) {
      throw malformed(text, "the digest must be 'sha256:' followed by 64 lowercase hex digits");
    }
    // jib validated the whole string; the written components are recovered from it rather than from jib, which
    // would fill in the default registry and "library/".
    String named = trimmed.substring(0, trimmed.lastIndexOf('@'));
    String tag = parsed.getTag().orElse(null);
    String repository = tag == null ? named : named.substring(0, named.length() - tag.length() - 1);
    return new ImageRef(repository, tag, digest);
  }

  /** Whether {@code text} is a reference {@link #parse} accepts. */
  public static boolean isPinned(String text) {
    try {
      parse(text);
      return true;
    } catch (ReleaseException e) {
      return false;
    }
  }

  private static ReleaseException malformed(String text, String why) {
    return ReleaseException.badInput("malformed image reference '" + text + "': " + why);
  }

  public ImageRef withRepository(String newRepository) {
    return new ImageRef(newRepository, tag, digest);
  }

  /**
   * The repository as registry and path with the defaults filled in: {@code odoo} is
   * {@code registry-1.docker.io/library/odoo}. For comparisons only, never written anywhere.
   */
  public String normalizedRepository() {
    return normalize(repository);
  }

  /**
   * Whether {@code other} (a repository without tag or digest, e.g. an application's configured image) names the
   * same repository as this reference once both are normalized. An unparsable {@code other} is no match.
   */
  public boolean sameRepository(String other) {
    if (other == null) {
      return false;
    }
    if (other.equals(repository)) {
      return true;
    }
    try {
      return normalize(other).equals(normalizedRepository());
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  // Never reached with user input through parse (jib already accepted the repository); an application's configured
  // image that is not a bare repository simply matches nothing.
  private static String normalize(String repository) {
    try {
      ImageReference parsed = ImageReference.parse(repository);
      if (parsed.getTag().filter(t -> !t.equals("latest")).isPresent() || parsed.getDigest().isPresent()
          || repository.endsWith(":latest")) {
        throw new IllegalArgumentException("not a bare repository name");
      }
      return parsed.getRegistry() + "/" + parsed.getRepository();
    } catch (InvalidImageReferenceException e) {
      throw new IllegalArgumentException("not a repository name", e);
    }
  }

  /** The reference as written into manifests: {@code repository[:tag]@digest}. */
  public String pinned() {
    return repository + (tag == null ? "" : ":" + tag) + "@" + digest;
  }

  /** The digest as a value; {@link #digest()} stays a string for the callers not yet moved to {@link ImageDigest}. */
  public ImageDigest imageDigest() {
    return new ImageDigest(digest);
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
