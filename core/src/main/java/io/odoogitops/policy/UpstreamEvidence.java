package io.odoogitops.policy;

import io.odoogitops.ImageDigest;
import java.util.Objects;
import java.util.Set;

/**
 * The digests that were promoted into an environment, as its history tells (the GitOps engine reads it from commit
 * trailers); the {@code promoteFrom} rule checks the candidate is among them.
 */
public record UpstreamEvidence(String environment, Set<ImageDigest> digests) {

  public UpstreamEvidence {
    Objects.requireNonNull(environment, "environment");
    digests = Set.copyOf(digests);
  }
}
