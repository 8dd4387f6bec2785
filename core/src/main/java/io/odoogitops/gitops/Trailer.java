package io.odoogitops.gitops;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One git trailer line, {@code Key: value}. Values are folded to one line: a newline in a justification or reason
 * would otherwise end the trailer block and let a user forge trailers below it.
 */
public record Trailer(String key, String value) {

  private static final Pattern KEY = Pattern.compile("[A-Za-z][A-Za-z0-9-]*");

  public Trailer {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    if (!KEY.matcher(key).matches()) {
      throw new IllegalArgumentException("invalid trailer key: " + key);
    }
    value = value.replaceAll("[\\r\\n\\t]+", " ").strip();
  }

  @Override
  public String toString() {
    return key + ": " + value;
  }
}
