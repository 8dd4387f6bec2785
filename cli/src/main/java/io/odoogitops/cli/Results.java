package io.odoogitops.cli;

import io.odoogitops.cluster.VerificationReport;
import io.odoogitops.gitops.PromotionResult;
import io.odoogitops.policy.Decision;
import io.odoogitops.policy.Outcome;

/** Human and JSON wording of promotion results, shared by promote, rollback and the demo. */
final class Results {

  private Results() {}

  /** JSON shape of {@code promote} and {@code rollback}: the result and the gate decision it landed under. */
  record PromotionJson(PromotionResult promotion, GateCommand.DecisionJson decision,
      VerificationReport verification) {}

  static PromotionJson json(PromotionResult result) {
    return json(result, null);
  }

  static PromotionJson json(PromotionResult result, VerificationReport verification) {
    return new PromotionJson(result, result.decision() == null ? null : GateCommand.DecisionJson.of(result.decision()),
        verification);
  }

  static String describe(PromotionResult r) {
    String text = switch (r.outcome()) {
      case LANDED -> r.message() + "\n  commit " + r.commitId() + "\n  promotion id " + r.promotionId()
          + (r.attempts() > 1 ? "\n  (replayed " + (r.attempts() - 1) + "x after racing other promotions)" : "");
      case ALREADY_LANDED, NO_CHANGE -> r.message();
    };
    return text + (r.decision() == null ? "" : gateLine(r.decision()));
  }

  private static String gateLine(Decision d) {
    long checked = d.rules().stream().filter(rule -> rule.outcome() == Outcome.PASSED).count();
    return "\n  gate: allowed (" + checked + (checked == 1 ? " rule" : " rules") + " passed"
        + d.trailers().stream().map(t -> "; " + t).reduce("", String::concat) + ")"
        + d.notices().stream().map(n -> "\n  note: " + n).reduce("", String::concat);
  }
}
