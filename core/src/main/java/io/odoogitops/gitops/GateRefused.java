package io.odoogitops.gitops;

import io.odoogitops.ReleaseException;
import io.odoogitops.policy.Decision;

/**
 * The gate's refusal of a promotion or rollback at landing time, carrying the decision it was refused with (every
 * rule, passed or failed), so a front end can show it without asking the gate again.
 */
public final class GateRefused extends ReleaseException {

  private final transient Decision decision;

  private GateRefused(Decision decision) {
    super(Kind.REFUSED, decision.refusal());
    this.decision = decision;
  }

  /** Throws the refusal of {@code decision}, unless it allows the promotion. */
  static void requireAllowed(Decision decision) {
    if (!decision.allowed()) {
      throw new GateRefused(decision);
    }
  }

  /** The decision the promotion was refused with. */
  public Decision decision() {
    return decision;
  }
}
