package io.odoogitops.policy;

import com.fasterxml.jackson.annotation.JsonValue;
import io.odoogitops.ReleaseException;
import java.util.Locale;

/** What a release operation does to an environment; freeze windows let some actions through. */
public enum Action {
  /** A new digest moves into the environment. */
  PROMOTE,
  /** A digest that ran in the environment before comes back; allowed during freezes unless a window says otherwise. */
  ROLLBACK;

  /** The name used in {@code allow:} lists and on the command line. */
  @JsonValue
  public String yamlName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Action parse(String text) {
    for (Action action : values()) {
      if (action.yamlName().equalsIgnoreCase(text == null ? "" : text.trim())) {
        return action;
      }
    }
    throw ReleaseException.badInput("unknown action '" + text + "'; use promote or rollback");
  }
}
