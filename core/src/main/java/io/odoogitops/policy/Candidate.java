package io.odoogitops.policy;

import io.odoogitops.ImageDigest;
import java.util.Objects;

/** What is to be released: one image digest of one application into one environment. */
public record Candidate(String environment, String application, String digest, Action action) {

  public Candidate {
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(application, "application");
    Objects.requireNonNull(action, "action");
    requireDigest(digest, "the candidate digest");
  }

  /** A promotion of {@code digest}. */
  public static Candidate promotion(String environment, String application, String digest) {
    return new Candidate(environment, application, digest, Action.PROMOTE);
  }

  /** Refuses anything but a full lowercase {@code sha256:} digest: tags and short digests are not identities. */
  public static String requireDigest(String digest, String what) {
    return ImageDigest.require(digest, what);
}
}
