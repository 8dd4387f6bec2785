package io.odoogitops.jenkins.gitops;

import hudson.AbortException;
import io.odoogitops.ReleaseException;

/**
 * A {@link ReleaseException} raised on the agent, carried back to the controller with its kind and a masked message
 * (the cause chain stays behind: a library exception may quote a URL with credentials).
 */
public final class AgentRefusal extends Exception {

  private static final long serialVersionUID = 1L;

  private final ReleaseException.Kind kind;

  private AgentRefusal(ReleaseException.Kind kind, String message) {
    super(message, null, false, false);
    this.kind = kind;
  }

  static AgentRefusal of(ReleaseException e, LogMasker masker) {
    return new AgentRefusal(e.kind(), masker.mask(e.getMessage()));
  }

  public ReleaseException.Kind kind() {
    return kind;
  }

  /**
   * The failure for the step: an {@link AbortException} prints its message without a stack trace, which is what a
   * refused promotion or a wrong parameter deserves. The kind leads, as the CLI's exit code would tell it.
   */
  public AbortException toAbort() {
    return new AbortException(kind.name().toLowerCase(java.util.Locale.ROOT) + ": " + getMessage());
  }
}
