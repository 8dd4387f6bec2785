package io.odoogitops.policy;

import io.odoogitops.ReleaseException;
import java.util.Objects;
import java.util.regex.Pattern;

/** What is to be released: one image digest of one application into one environment. */
public record Candidate(String environment, String application, String digest, Action action) {

  private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

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
    if (digest == null || !DIGEST.matcher(digest).matches()) {
      throw ReleaseException.badInput(what + " '" + digest + "' is not an image digest; write sha256: followed by"
          + " 64 lowercase hex digits (see 'skopeo inspect' or the build output)");
    }
    return digest;
  }
}
