package io.odoogitops.jenkins.step;

import hudson.AbortException;
import io.odoogitops.ReleaseException;
import java.util.Locale;

/**
 * Turns the core's {@link ReleaseException} into the step failure Jenkins shows best: an {@link AbortException}
 * prints its message without a stack trace and crosses the agent channel unchanged. The kind leads the message, as
 * the CLI's exit code would tell it; the message is masked and the cause chain stays behind (a library exception may
 * quote a URL with credentials).
 */
public final class Refusals {

  private Refusals() {}

  public static AbortException abort(ReleaseException e, LogMasker masker) {
    return new AbortException(e.kind().name().toLowerCase(Locale.ROOT) + ": " + masker.mask(e.getMessage()));
  }
}
