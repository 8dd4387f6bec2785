package io.odoogitops.image;

import com.google.cloud.tools.jib.api.ImageReference;
import io.odoogitops.ImageRef;
import io.odoogitops.ReleaseException;

/**
 * Reads image references for the builder and the registry with the product's one grammar ({@link ImageRef#split}),
 * as Docker does: {@code odoo:17} is {@code registry-1.docker.io/library/odoo:17}.
 */
final class ImageName {

  private ImageName() {}

  static ImageReference parse(String reference, String what) {
    return ImageRef.split(reference).map(ImageRef.Written::reference).orElseThrow(() -> ReleaseException.badInput(
        what + " '" + reference + "' is not a valid image reference; expected e.g. registry.example.com/team/odoo,"
            + " odoo:17.0 or odoo@sha256:<64 hex digits>"));
  }

  /** Registry and repository without tag or digest, e.g. {@code 127.0.0.1:5000/acme/odoo}. */
  static String repositoryOf(ImageReference reference) {
    return reference.getRegistry() + "/" + reference.getRepository();
  }
}
