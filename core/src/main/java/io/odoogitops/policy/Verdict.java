package io.odoogitops.policy;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.Locale;

/** A dry-run verdict, from best to worst. */
public enum Verdict {
  PASS, WARN, FAIL;

  /** Whether this verdict is at least as good as {@code worstAccepted}. */
  public boolean acceptedBy(Verdict worstAccepted) {
    return compareTo(worstAccepted) <= 0;
  }

  @JsonCreator
  public static Verdict parse(String text) {
    String t = text == null ? "" : text.trim().toUpperCase(Locale.ROOT);
    for (Verdict verdict : values()) {
      if (verdict.name().equals(t)) {
        return verdict;
      }
    }
    throw new IllegalArgumentException("'" + text + "' is not a verdict; use PASS, WARN or FAIL");
  }
}
