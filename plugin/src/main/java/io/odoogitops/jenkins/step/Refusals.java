package io.odoogitops.jenkins.step;

import hudson.AbortException;
import io.odoogitops.ImageRef;
import io.odoogitops.ReleaseException;
import java.util.List;
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

  /**
   * The core's answer for work on the controller that holds no secret (parsing a parameter, loading a key), or its
   * refusal as the step's failure, in the core's words.
   */
  public static <T> T check(Check<T> check) throws AbortException {
    try {
      return check.get();
    } catch (ReleaseException e) {
      throw abort(e, new LogMasker(List.of()));
    }
  }

  /** A call into the core that may refuse. */
  @FunctionalInterface
  public interface Check<T> {
    T get();
  }

  /** A step's image parameter as the core reads references, or the step's failure in the core's words. */
  public static ImageRef image(String text) throws AbortException {
    return check(() -> ImageRef.parse(text));
  }
}
