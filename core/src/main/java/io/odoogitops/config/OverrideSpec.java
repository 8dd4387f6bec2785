package io.odoogitops.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The emergency override of an environment's freezes. Without this block a freeze cannot be overridden.
 *
 * @param approvals override approvals needed, besides a written justification (default 1)
 * @param approvers who may approve an override: {@code user:alice}, {@code group:release-managers}
 * @param allow actions allowed during this environment's freezes without any override, for windows that name none
 *     (default: rollback)
 * @param minJustificationLength characters a justification needs at least, so "urgent" is not one (default 20)
 */
public record OverrideSpec(
    @JsonProperty("approvals") Integer approvals,
    @JsonProperty("approvers") List<String> approvers,
    @JsonProperty("allow") List<String> allow,
    @JsonProperty("minJustificationLength") Integer minJustificationLength) {

  /** Release actions a freeze window can let through, as written in {@code allow} lists. */
  public static final List<String> ACTIONS = List.of("promote", "rollback");

  public OverrideSpec {
    approvals = approvals == null ? 1 : approvals;
    approvers = approvers == null ? List.of() : List.copyOf(approvers);
    allow = allow == null ? List.of("rollback") : List.copyOf(allow);
    minJustificationLength = minJustificationLength == null ? 20 : minJustificationLength;
  }
}
