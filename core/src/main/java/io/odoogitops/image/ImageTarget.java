package io.odoogitops.image;

import io.odoogitops.ReleaseException;
import java.nio.file.Path;

/** Where a built image goes. */
public sealed interface ImageTarget {

  /** The registry named by the image reference. */
  record Registry() implements ImageTarget {
    @Override
    public String toString() {
      return "registry";
    }
  }

  /**
   * An OCI image layout in a tar file; needs no registry for the output, and none at all when the base is an archive
   * too.
   */
  record OciArchive(Path file) implements ImageTarget {
    @Override
    public String toString() {
      return "oci:" + file;
    }
  }

  /** Parses {@code registry} or {@code oci:PATH}, the CLI's {@code --to}. */
  static ImageTarget parse(String text) {
    if (text.equals("registry")) {
      return new Registry();
    }
    if (text.startsWith("oci:") && text.length() > 4) {
      return new OciArchive(Path.of(text.substring(4)));
    }
    throw ReleaseException.badInput("unknown output '" + text + "'; use 'registry' or 'oci:PATH' (an OCI archive)");
  }
}
