package io.odoogitops.cluster;

import io.odoogitops.ImageDigest;
import io.odoogitops.ReleaseException;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What to verify: that {@code commit} of the GitOps repository is applied in {@code environment} and that the
 * workload of {@code application} runs {@code digest}.
 *
 * @param commit the promotion commit, full or abbreviated (at least 7 hex digits)
 * @param digest the image digest, {@code sha256:} and 64 hex digits
 * @param autoRollback whether a failed verification triggers the one-step rollback
 */
public record VerificationRequest(String environment, String application, String commit, ImageDigest digest,
    boolean autoRollback) {

  private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{7,64}");

  public VerificationRequest {
    if (environment == null || environment.isBlank()) {
      throw ReleaseException.badInput("no environment given");
    }
    if (application == null || application.isBlank()) {
      throw ReleaseException.badInput("no application given");
    }
    commit = commit == null ? null : commit.strip().toLowerCase(Locale.ROOT);
    if (commit == null || !COMMIT.matcher(commit).matches()) {
      throw ReleaseException.badInput("commit '" + commit + "' is not a git commit id (7 to 64 hex digits)");
    }
    Objects.requireNonNull(digest, "digest");
  }
}
