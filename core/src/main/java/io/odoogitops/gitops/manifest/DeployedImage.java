package io.odoogitops.gitops.manifest;

import io.odoogitops.ImageDigest;
import java.util.Optional;

/**
 * The image an environment's manifests name for an application, as found in the file.
 *
 * @param repository the image repository
 * @param tag the tag, or {@code null}
 * @param digest the digest, or {@code null} when the manifest pins no digest (yet)
 * @param location {@code file:line} of the entry, for messages
 */
public record DeployedImage(String repository, String tag, String digest, String location) {

  /** The digest as a value; empty when the manifest pins none, or pins something that is not a full digest. */
  public Optional<ImageDigest> imageDigest() {
    return ImageDigest.isValid(digest) ? Optional.of(new ImageDigest(digest)) : Optional.empty();
  }

  /** Splits {@code repo[:tag][@digest]} as written in a container's {@code image:} field. */
  static DeployedImage parse(String reference, String location) {
    String rest = reference;
    String digest = null;
    int at = rest.indexOf('@');
    if (at >= 0) {
      digest = rest.substring(at + 1);
      rest = rest.substring(0, at);
    }
    String tag = null;
    int colon = rest.lastIndexOf(':');
    if (colon > rest.lastIndexOf('/')) {
      tag = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
    }
    return new DeployedImage(rest, tag, digest, location);
  }
}
