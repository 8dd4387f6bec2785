package io.odoogitops.cluster;

import io.odoogitops.ReleaseException;
import io.odoogitops.config.ClusterSpec;

/**
 * Validation of the names a user configures. Checking them up front turns a typo into a clear BAD_INPUT message
 * instead of a confusing 404 or 422 from the API server halfway through a verification.
 */
final class KubernetesNames {

  private KubernetesNames() {
  }

  static String requireDnsName(String value, String what) {
    if (value == null || value.isBlank()) {
      throw ReleaseException.badInput(what + " is missing");
    }
    if (!ClusterSpec.isObjectName(value)) {
      throw ReleaseException.badInput(what + " '" + value + "' is not a valid Kubernetes name (lower-case letters, "
          + "digits, '-' and '.', starting and ending with a letter or digit)");
    }
    return value;
  }
}
