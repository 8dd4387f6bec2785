package io.odoogitops.policy;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** A person's answer to a promotion or override request. */
public enum Vote {
  APPROVE, REJECT;

  @JsonValue
  public String yamlName() {
    return name();
  }

  @JsonCreator
  public static Vote parse(String text) {
    String t = text == null ? "" : text.trim().toUpperCase(Locale.ROOT);
    for (Vote vote : values()) {
      if (vote.name().equals(t)) {
        return vote;
      }
    }
    throw new IllegalArgumentException("'" + text + "' is not a vote; use APPROVE or REJECT");
  }
}
