package io.odoogitops.policy;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A git commit trailer ({@code Key: value}): the decision asks the promotion commit to carry these, and the GitOps
 * engine writes its own with the same rules. Values are forced onto
 * one line: a justification containing "\nApproved-By: mallory" must not forge a trailer.
 */
public record Trailer(String key, String value) {

  private static final int MAX_VALUE_LENGTH = 500;
  private static final Pattern KEY = Pattern.compile("[A-Za-z][A-Za-z0-9-]*");

  public Trailer {
    Objects.requireNonNull(key, "key");
    if (!KEY.matcher(key).matches()) {
      throw new IllegalArgumentException("invalid trailer key: " + key);
    }
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
