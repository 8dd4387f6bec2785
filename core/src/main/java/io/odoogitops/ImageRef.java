package io.odoogitops;

import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

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
public record ImageRef(String repository, String tag, ImageDigest digest) {

  /** The names of Docker Hub's registry; the first is the one jib and Docker talk to. */
  private static final List<String> DOCKER_HUB = List.of("registry-1.docker.io", "docker.io", "index.docker.io");

  public ImageRef {
    Objects.requireNonNull(repository, "repository");
    Objects.requireNonNull(digest, "digest");
  }

  /** Parses a reference that must carry a digest; every refusal says what a good one looks like. */
  public static ImageRef parse(String text) {
    if (text == null || text.isBlank()) {
      throw ReleaseException.badInput("no image given; pass --image <repository>@sha256:<digest>");
    }
    String trimmed = text.trim();
    Written written = split(trimmed).orElseThrow(() -> malformed(text, "it is not of the form"
        + " [registry[:port]/]repository[:tag]@sha256:<64 lowercase hex digits> with a lowercase repository name"));
    if (written.digest() == null) {
      throw malformed(text, "it has no digest; promotions are pinned by digest, never by tag (find it with"
          + " 'skopeo inspect docker://" + trimmed + "' or the build output)");
    }
    if (!ImageDigest.isValid(written.digest())) {
      throw malformed(text, "the digest must be 'sha256:' followed by 64 lowercase hex digits");
    }
    return new ImageRef(written.repository(), written.tag(), new ImageDigest(written.digest()));
  }

  /**
   * A reference as written, accepted by the one grammar (jib's) but not yet held to the pinning rule.
   *
   * @param repository as written, without tag or digest
   * @param tag as written, {@code null} when absent (jib's implied {@code latest} is not a written tag)
   * @param digest as written, {@code null} when absent; any algorithm jib accepts
   * @param reference jib's reading, with the default registry and {@code library/} filled in
   */
  public record Written(String repository, String tag, String digest, ImageReference reference) {

    /**
     * The registry as written ({@code registry.example.com:5000}), empty when none is written and Docker Hub is
     * implied. jib decides which first component is a host; Docker Hub's names are kept as written.
     */
    public String registry() {
      String path = path();
      return path.length() == repository.length() ? ""
          : repository.substring(0, repository.length() - path.length() - 1);
    }

    /** The repository's path as written, without the registry: {@code acme/odoo}, or {@code odoo} for Docker Hub. */
    public String path() {
      // jib's own reading, before Docker Hub is normalized: the path after a written registry, or the written
      // repository itself with "library/" put in front when no registry is written.
      String read;
      try {
        read = ImageReference.parse(repository).getRepository();
      } catch (InvalidImageReferenceException e) {
        throw new IllegalStateException("a repository jib accepted as part of a reference", e);
      }
      return repository.endsWith("/" + read) ? read : repository;
    }
  }

  /**
   * Splits {@code text} with jib's grammar into its components as written; empty when jib refuses it. Every reader of
   * image references (pinned references, manifests' {@code image:} fields, the image builder) goes through here.
   */
  public static Optional<Written> split(String text) {
    if (text == null) {
      return Optional.empty();
    }
    ImageReference parsed;
    try {
      parsed = ImageReference.parse(text);
    } catch (InvalidImageReferenceException | RuntimeException e) {
      return Optional.empty();
    }
    // jib validated the whole string; the written components are recovered from it rather than from jib, which
    // fills in the default registry, "library/" and the tag "latest".
    String digest = parsed.getDigest().orElse(null);
    String named = digest == null ? text : text.substring(0, text.lastIndexOf('@'));
    int colon = named.lastIndexOf(':');
    boolean tagged = colon > named.lastIndexOf('/');
    return Optional.of(new Written(tagged ? named.substring(0, colon) : named,
        tagged ? named.substring(colon + 1) : null, digest, dockerHub(parsed)));
  }

  /**
   * Docker Hub as Docker reads it: jib fills in {@code library/} only when no registry is written, and keeps
   * {@code index.docker.io}, so {@code docker.io/odoo} and {@code index.docker.io/library/odoo} would name other
   * repositories than {@code odoo}. Docker pulls all three from {@code registry-1.docker.io/library/odoo}.
   */
  private static ImageReference dockerHub(ImageReference parsed) {
    if (!DOCKER_HUB.contains(parsed.getRegistry())) {
      return parsed;
    }
    String repository = parsed.getRepository().contains("/") ? parsed.getRepository()
        : "library/" + parsed.getRepository();
    return ImageReference.of(DOCKER_HUB.get(0), repository, parsed.getTag().orElse(null),
        parsed.getDigest().orElse(null));
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
    ImageReference parsed = split(repository).map(Written::reference)
        .orElseThrow(() -> new IllegalArgumentException("not a repository name"));
    if (parsed.getTag().filter(t -> !t.equals("latest")).isPresent() || parsed.getDigest().isPresent()
        || repository.endsWith(":latest")) {
      throw new IllegalArgumentException("not a bare repository name");
    }
    return parsed.getRegistry() + "/" + parsed.getRepository();
  }

  /** The reference as written into manifests: {@code repository[:tag]@digest}. */
  public String pinned() {
    return repository + (tag == null ? "" : ":" + tag) + "@" + digest;
  }

  /** {@code sha256:1a2b3c4d5e6f} — enough for humans in subjects and listings. */
  public String shortDigest() {
    return digest.shortForm();
  }

  @Override
  public String toString() {
    return pinned();
  }
}
