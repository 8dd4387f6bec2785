package io.odoogitops.image;

import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import io.odoogitops.ReleaseException;

/** Parses image references the way Docker does ({@code odoo:17} is {@code registry-1.docker.io/library/odoo:17}). */
final class ImageName {

  private ImageName() {}

  static ImageReference parse(String reference, String what) {
    try {
      return ImageReference.parse(reference);
    } catch (InvalidImageReferenceException e) {
      throw ReleaseException.badInput(what + " '" + reference + "' is not a valid image reference; expected e.g. "
          + "registry.example.com/team/odoo, odoo:17.0 or odoo@sha256:<64 hex digits>");
    }
  }

  /** Registry and repository without tag or digest, e.g. {@code 127.0.0.1:5000/acme/odoo}. */
  static String repositoryOf(ImageReference reference) {
    return reference.getRegistry() + "/" + reference.getRepository();
  }
}
