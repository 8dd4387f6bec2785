package io.odoogitops.gitops;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How to authenticate to the GitOps remote. Secrets stay inside these values: {@code toString} never shows them, and
 * nothing in this package puts them in a message.
 */
public sealed interface GitCredentials {

  /** Anonymous access: {@code git://}, {@code file://}, public HTTPS, or SSH with the user's agent-less defaults. */
  record None() implements GitCredentials {}

  /** HTTPS basic auth with a user and a token (or password). */
  record HttpsToken(String user, String token) implements GitCredentials {
    public HttpsToken {
      Objects.requireNonNull(user, "user");
      Objects.requireNonNull(token, "token");
    }

    @Override
    public String toString() {
      return "HttpsToken[user=" + user + ", token=****]";
    }
  }

  /**
   * SSH with a private key. Host keys are verified against {@code knownHosts}; an unknown host is refused unless
   * {@code acceptNewHostKeys}, in which case its key is recorded (never a changed key: that is always refused).
   */
  record SshKey(Path privateKey, String passphrase, Path knownHosts, boolean acceptNewHostKeys)
      implements GitCredentials {
    public SshKey {
      Objects.requireNonNull(privateKey, "privateKey");
      Objects.requireNonNull(knownHosts, "knownHosts");
    }

    @Override
    public String toString() {
      return "SshKey[privateKey=" + privateKey + ", passphrase=" + (passphrase == null ? "none" : "****")
          + ", knownHosts=" + knownHosts + ", acceptNewHostKeys=" + acceptNewHostKeys + "]";
    }
  }

  static GitCredentials none() {
    return new None();
  }
}
