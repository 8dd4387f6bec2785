package io.odoogitops.image;

import com.google.cloud.tools.jib.api.ImageReference;
import io.odoogitops.ReleaseException;
import java.util.Optional;

/**
 * The image the build starts from, pinned by digest. A tag is looked up once, before anything is built, and from
 * then on only the digest is used and recorded: a base tag moved during or after the build changes nothing.
 *
 * @param requested what the user wrote, e.g. {@code odoo:17.0}
 * @param pinned the same repository at the resolved digest
 */
public record BaseImage(String requested, ImageReference pinned) {

  public String digest() {
    return pinned.getDigest().orElseThrow();
  }

  /** Repository plus digest, e.g. {@code registry-1.docker.io/library/odoo@sha256:…}. */
  public String pinnedReference() {
    return ImageName.repositoryOf(pinned) + "@" + digest();
  }

  /**
   * Pins {@code reference}.
   *
   * @param strict refuse a reference that is not already pinned by digest
   * @throws ReleaseException bad input for an invalid, unpinned (strict) or missing base; infrastructure when the
   *     registry cannot be asked
   */
  static BaseImage resolve(String reference, boolean strict, RegistryAccess access) {
    ImageReference parsed = ImageName.parse(reference, "base image");
    Optional<String> digest = parsed.getDigest();
    if (digest.isPresent()) {
      return new BaseImage(reference, ImageReference.of(parsed.getRegistry(), parsed.getRepository(), null,
          digest.get()));
    }
    if (strict) {
      throw ReleaseException.badInput("base image '" + reference + "' is not pinned by digest, which strict mode "
          + "requires; use " + ImageName.repositoryOf(parsed) + "@sha256:<digest> (e.g. from 'skopeo inspect')");
    }
    String tag = parsed.getTag().orElse("latest");
    String found = new RegistryApi(access).digestOf(parsed.getRepository(), tag)
        .orElseThrow(() -> ReleaseException.badInput("base image '" + reference + "' does not exist: "
            + parsed.getRegistry() + " has no " + parsed.getRepository() + ":" + tag));
    return new BaseImage(reference, ImageReference.of(parsed.getRegistry(), parsed.getRepository(), null, found));
  }
}
