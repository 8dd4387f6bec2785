package io.odoogitops.restore;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.odoogitops.ReleaseException;

/** How the database part of a restore point was taken; its name is the first word of the trailer. */
public enum RestorePointKind {
  /** An on-demand {@code Backup} of a CloudNativePG cluster. */
  CLOUDNATIVEPG("cloudnativepg"),
  /** {@code pg_dump -Fd} of the database into a directory. */
  DUMP("dump");

  private final String word;

  RestorePointKind(String word) {
    this.word = word;
  }

  @JsonValue
  public String word() {
    return word;
  }

  @JsonCreator
  public static RestorePointKind parse(String text) {
    for (RestorePointKind kind : values()) {
      if (kind.word.equals(text)) {
        return kind;
      }
    }
    throw ReleaseException.badInput("unknown restore point kind '" + text + "'; expected cloudnativepg or dump");
  }
}
