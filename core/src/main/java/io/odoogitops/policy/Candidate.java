package io.odoogitops.policy;

import io.odoogitops.ImageDigest;
import java.util.Objects;

/** What is to be released: one image digest of one application into one environment. */
public record Candidate(String environment, String application, ImageDigest digest, Action action) {

  public Candidate {
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(application, "application");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(digest, "digest");
  }

  /** A promotion of {@code digest}. */
  public static Candidate promotion(String environment, String application, ImageDigest digest) {
    return new Candidate(environment, application, digest, Action.PROMOTE);
  }
}
