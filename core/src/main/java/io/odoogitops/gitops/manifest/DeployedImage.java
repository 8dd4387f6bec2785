package io.odoogitops.gitops.manifest;

import io.odoogitops.ImageDigest;
import io.odoogitops.ImageRef;
import io.odoogitops.ReleaseException;

/**
 * The image an environment's manifests name for an application, as found in the file.
 *
 * @param repository the image repository, as written
 * @param tag the tag, or {@code null}
 * @param digest the digest, or {@code null} when the manifest pins no digest (yet)
 * @param location {@code file:line} of the entry, for messages
 */
public record DeployedImage(String repository, String tag, ImageDigest digest, String location) {

  /**
   * The image of a manifest that names repository, tag and digest in separate fields (Helm values, Kustomize), read
   * as the one reference they make with the one grammar; a digest that is not a full {@code sha256:} one is refused
   * with its location, as every reader refuses it.
   */
  static DeployedImage of(String repository, String tag, String digest, String location) {
    if (digest != null) {
      digestAt(digest, repository, location);
    }
    return parse(repository + (tag == null || tag.isEmpty() ? "" : ":" + tag) + (digest == null ? "" : "@" + digest),
        location);
  }

  /** Reads {@code repo[:tag][@digest]} as written in a container's {@code image:} field, with the one grammar. */
  static DeployedImage parse(String reference, String location) {
    ImageRef.Written written = ImageRef.split(reference).orElseThrow(() -> ReleaseException.badInput(location
        + ": the image '" + reference + "' is not an image reference; write [registry[:port]/]repository[:tag]"
        + "[@sha256:<64 lowercase hex digits>] with a lowercase repository name"));
    return new DeployedImage(written.repository(), written.tag(),
        written.digest() == null ? null : digestAt(written.digest(), reference, location), location);
  }

  private static ImageDigest digestAt(String digest, String image, String location) {
    return ImageDigest.parse(digest, location + ": the digest of image " + image);
  }
}
