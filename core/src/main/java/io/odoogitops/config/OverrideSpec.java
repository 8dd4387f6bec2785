package io.odoogitops.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The emergency override of an environment's freezes.
 *
 * @param approvals approvals needed for an override (in addition to a written justification)
 * @param approvers who may approve an override
 * @param allow actions allowed during any freeze without an override (default: rollback)
 */
public record OverrideSpec(
    @JsonProperty("approvals") Integer approvals,
    @JsonProperty("approvers") List<String> approvers,
    @JsonProperty("allow") List<String> allow) {

  public OverrideSpec {
    approvals = approvals == null ? 1 : approvals;
    approvers = approvers == null ? List.of() : List.copyOf(approvers);
    allow = allow == null ? List.of("rollback") : List.copyOf(allow);
  }
}
