package io.odoogitops.cli;

import io.odoogitops.gitops.PromotionResult;

/** Human wording of promotion results, shared by promote, rollback and the demo. */
final class Results {

  private Results() {}

  static String describe(PromotionResult r) {
    return switch (r.outcome()) {
      case LANDED -> r.message() + "\n  commit " + r.commitId() + "\n  promotion id " + r.promotionId()
          + (r.attempts() > 1 ? "\n  (replayed " + (r.attempts() - 1) + "x after racing other promotions)" : "");
      case ALREADY_LANDED, NO_CHANGE -> r.message();
    };
  }
}
