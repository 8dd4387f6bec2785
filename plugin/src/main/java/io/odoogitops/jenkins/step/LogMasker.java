package io.odoogitops.jenkins.step;

import java.io.Serializable;
import java.util.Comparator;
import java.util.List;

/**
 * Replaces secret values with {@code ****} in text bound for the build log. The core never prints secrets; this is
 * the second line of defence for messages that echo server output (a git server may repeat a URL with a token).
 */
public final class LogMasker implements Serializable {

  private static final long serialVersionUID = 1L;

  private final List<String> secrets;

  public LogMasker(List<String> secrets) {
    // Longest first, so a secret containing a shorter one is masked whole.
    this.secrets = secrets.stream().filter(s -> s.length() >= 3)
        .sorted(Comparator.comparingInt(String::length).reversed()).toList();
  }

  public String mask(String text) {
    if (text == null) {
      return null;
    }
    String masked = text;
    for (String secret : secrets) {
      masked = masked.replace(secret, "****");
    }
    return masked;
  }
}
