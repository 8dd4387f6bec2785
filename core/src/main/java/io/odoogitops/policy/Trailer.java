package io.odoogitops.policy;

import java.util.Objects;

/**
 * A git commit trailer ({@code Key: value}) the decision asks the promotion commit to carry. Values are forced onto
 * one line: a justification containing "\nApproved-By: mallory" must not forge a trailer.
 */
public record Trailer(String key, String value) {

  private static final int MAX_VALUE_LENGTH = 500;

  public Trailer {
    Objects.requireNonNull(key, "key");
    value = oneLine(Objects.requireNonNull(value, "value"));
  }

  @Override
  public String toString() {
    return key + ": " + value;
  }

  private static String oneLine(String text) {
    String flat = text.replaceAll("[\\p{Cntrl}\\u2028\\u2029]+", " ").replaceAll(" {2,}", " ").strip();
    return flat.length() > MAX_VALUE_LENGTH ? flat.substring(0, MAX_VALUE_LENGTH - 3) + "..." : flat;
  }
}
