package io.odoogitops.policy;

import java.util.List;

/**
 * One rule's part of a decision.
 *
 * @param rule stable id: {@code promote-from}, {@code dry-run}, {@code restore-point}, {@code approvals},
 *     {@code rejections}, {@code freeze}, {@code hold}
 * @param reason one sentence for people: what was checked and what was found
 * @param details supporting facts, such as each vote that was not counted and why
 */
public record RuleResult(String rule, Outcome outcome, String reason, List<String> details) {

  public RuleResult {
    details = List.copyOf(details);
  }

  static RuleResult passed(String rule, String reason, List<String> details) {
    return new RuleResult(rule, Outcome.PASSED, reason, details);
  }

  static RuleResult passed(String rule, String reason) {
    return passed(rule, reason, List.of());
  }

  static RuleResult failed(String rule, String reason, List<String> details) {
    return new RuleResult(rule, Outcome.FAILED, reason, details);
  }

  static RuleResult failed(String rule, String reason) {
    return failed(rule, reason, List.of());
  }

  static RuleResult notApplicable(String rule, String reason) {
    return new RuleResult(rule, Outcome.NOT_APPLICABLE, reason, List.of());
  }
}
