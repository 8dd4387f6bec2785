package io.odoogitops.dryrun.verdict;

/** The outcome a promotion gate reads. Ordered: a run's verdict is the worst of its reasons. */
public enum Verdict {
  PASS, WARN, FAIL;

  public Verdict worst(Verdict other) {
    return other.ordinal() > ordinal() ? other : this;
  }
}
