package io.odoogitops;

import java.util.Objects;

/**
 * The one failure type every front end understands. Its {@link Kind} decides the exit code of the CLI and the result
 * of a Jenkins step; its message is written for the person who has to act on it (what, where, how to fix) and must
 * never contain a secret, because front ends print it as is.
 */
public class ReleaseException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Why the operation did not happen; ordered as the CLI exit codes they map to. */
  public enum Kind {
    /** The input was fine but policy, a gate, a freeze or a conflicting state said no. Exit 1. */
    REFUSED(1),
    /** The input itself is wrong: a flag, a file, a reference. Exit 2. */
    BAD_INPUT(2),
    /** Something we depend on failed: git server, registry, database, cluster. Exit 3. */
    INFRASTRUCTURE(3);

    private final int exitCode;

    Kind(int exitCode) {
      this.exitCode = exitCode;
    }

    public int exitCode() {
      return exitCode;
    }
  }

  private final Kind kind;

  public ReleaseException(Kind kind, String message) {
    super(message);
    this.kind = Objects.requireNonNull(kind);
  }

  public ReleaseException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = Objects.requireNonNull(kind);
  }

  public static ReleaseException badInput(String message) {
    return new ReleaseException(Kind.BAD_INPUT, message);
  }

  public static ReleaseException refused(String message) {
    return new ReleaseException(Kind.REFUSED, message);
  }

  public static ReleaseException infrastructure(String message, Throwable cause) {
    return new ReleaseException(Kind.INFRASTRUCTURE, message, cause);
  }

  public Kind kind() {
    return kind;
  }

  public int exitCode() {
    return kind.exitCode();
  }
}
