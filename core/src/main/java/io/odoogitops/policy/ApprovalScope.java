package io.odoogitops.policy;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What a vote is about. An override of a freeze is a separate, deliberate decision: a promotion approval never
 * counts as one, so approving a release on Monday cannot later be read as approving it during the month-end close.
 */
public enum ApprovalScope {
  PROMOTION("promotion"),
  FREEZE_OVERRIDE("freeze-override");

  private final String yamlName;

  ApprovalScope(String yamlName) {
    this.yamlName = yamlName;
  }

  @JsonValue
  public String yamlName() {
    return yamlName;
  }

  @JsonCreator
  public static ApprovalScope parse(String text) {
    for (ApprovalScope scope : values()) {
      if (scope.yamlName.equals(text)) {
        return scope;
      }
    }
    throw new IllegalArgumentException("'" + text + "' is not an approval scope; use promotion or freeze-override");
  }
}
