package io.odoogitops.policy;

import io.odoogitops.ReleaseException;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The gate's answer for one candidate at one instant, with every rule's outcome so that logs, JSON output and the
 * promotion commit can explain it.
 *
 * @param trailers audit trailers for the promotion commit, in order: {@code Approved-By} (one per counted approver),
 *     {@code Approval-Key} (with allowed signers: the key each counted approval was signed with), {@code Dry-Run},
 *     {@code Rollback-Safety} (the dry-run said RESTORE_REQUIRED), {@code Restore-Point} (the accepted restore
 *     point), {@code Freeze-Override}, {@code Override-Justification}
 * @param notices what the reader must know besides the rules, such as "votes are unverified: this gate is advisory"
 */
public record Decision(Candidate candidate, Instant at, List<RuleResult> rules, List<Trailer> trailers,
    List<String> notices) {

  public Decision {
    rules = List.copyOf(rules);
    trailers = List.copyOf(trailers);
    notices = notices == null ? List.of() : List.copyOf(notices);
  }

  public Decision(Candidate candidate, Instant at, List<RuleResult> rules, List<Trailer> trailers) {
    this(candidate, at, rules, trailers, List.of());
  }

  /** This decision with {@code more} notices after its own, e.g. what the trust root ignored. */
  public Decision withNotices(List<String> more) {
    List<String> all = new java.util.ArrayList<>(notices);
    all.addAll(more);
    return new Decision(candidate, at, rules, trailers, all);
  }

  /** Whether no rule failed. */
  public boolean allowed() {
    return rules.stream().noneMatch(r -> r.outcome() == Outcome.FAILED);
  }

  public List<RuleResult> failures() {
    return rules.stream().filter(r -> r.outcome() == Outcome.FAILED).toList();
  }

  /** Throws a {@link ReleaseException.Kind#REFUSED} error listing every failed rule, unless allowed. */
  public void requireAllowed() {
    if (allowed()) {
      return;
    }
    throw ReleaseException.refused(refusal());
  }

  /** Why the decision refuses: every failed rule, as {@link #requireAllowed} reports it. */
  public String refusal() {
    return candidate.action().yamlName() + " of " + candidate.application() + "@" + candidate.digest() + " to "
        + candidate.environment() + " refused:\n" + failures().stream()
            .map(r -> "  " + r.rule() + ": " + r.reason()).collect(Collectors.joining("\n"));
  }
}
