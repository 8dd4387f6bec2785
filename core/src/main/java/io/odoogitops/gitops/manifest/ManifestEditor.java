package io.odoogitops.gitops.manifest;

import io.odoogitops.config.ApplicationSpec;
import io.odoogitops.config.Layout;
import io.odoogitops.ImageRef;
import java.util.Map;

/** Reads and changes the image an environment runs for one application, in one manifest layout. */
public interface ManifestEditor {

  /** The image the manifests name now; a bad-input error if the application's entry is missing or ambiguous. */
  DeployedImage current(ManifestSet manifests, ApplicationSpec app);

  /**
   * The files that change to make the application run {@code image}: path → new bytes. Only the bytes of the changed
   * scalars differ from the input. Empty when the manifests already name exactly this image.
   */
  Map<String, byte[]> apply(ManifestSet manifests, ApplicationSpec app, ImageRef image);

  static ManifestEditor forLayout(Layout layout) {
    return switch (layout) {
      case KUSTOMIZE -> new KustomizeEditor();
      case HELM -> new HelmValuesEditor();
      case MANIFEST -> new WorkloadEditor();
    };
  }
}
