package io.odoogitops.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * When an environment asks for a restore point before a release reaches it (docs/restore-points.md). The dry-run
 * says whether the previous image can run on the migrated schema; when it cannot (RESTORE_REQUIRED), the only way
 * back is the database as it was, so the point must exist before the release lands.
 */
public enum RestorePointPolicy {
  /** Before every promotion to the environment. */
  REQUIRED("required"),
  /** Before a promotion whose dry-run classified the rollback as RESTORE_REQUIRED. */
  WHEN_RESTORE_REQUIRED("whenRestoreRequired"),
  /** Never (the default). */
  OFF("off");

  private final String yamlName;

  RestorePointPolicy(String yamlName) {
    this.yamlName = yamlName;
  }

  @JsonValue
  public String yamlName() {
    return yamlName;
  }

  /** Whether a promotion needs a restore point, given whether its dry-run said RESTORE_REQUIRED. */
  public boolean requires(boolean restoreRequired) {
    return this == REQUIRED || this == WHEN_RESTORE_REQUIRED && restoreRequired;
  }

  @JsonCreator
  public static RestorePointPolicy parse(String text) {
    for (RestorePointPolicy policy : values()) {
      if (policy.yamlName.equals(text)) {
        return policy;
      }
    }
    throw new IllegalArgumentException("unknown restorePoint '" + text + "'; use one of "
        + Arrays.stream(values()).map(RestorePointPolicy::yamlName).collect(Collectors.joining(", ")));
  }
}
