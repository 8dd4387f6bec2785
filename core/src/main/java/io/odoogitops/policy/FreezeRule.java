package io.odoogitops.policy;

import io.odoogitops.config.EnvironmentSpec;
import io.odoogitops.config.GateSpec;
import io.odoogitops.config.OverrideSpec;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The {@code freeze} rule: passes when no active window blocks the action, or when an emergency override carries a
 * long enough justification and its own {@code freeze-override} approvals. A passed override adds the
 * {@code Freeze-Override} and {@code Override-Justification} trailers, so the exception is on record in git.
 */
final class FreezeRule {

  /** Override approvals expire after this when the environment has no gate block. */
  static final Duration DEFAULT_TTL = new GateSpec(null, null, null, null, null).approvalTtl();

  private final EnvironmentSpec env;
  private final FreezeSchedule schedule;
  private final GroupDirectory directory;

  FreezeRule(EnvironmentSpec env, FreezeSchedule schedule, GroupDirectory directory) {
    this.env = env;
    this.schedule = schedule;
    this.directory = directory;
  }

  RuleResult evaluate(GateRequest request, VoteAdmission.Admitted admitted, List<Trailer> trailers) {
    Action action = request.candidate().action();
    // Only the windows active now: FreezeSchedule.status would also look 400 days ahead for the next freeze of an
    // open environment, which this rule never reports and which was most of a fleet plan's time.
    List<FreezeInterval> active = schedule.windows(request.at(), request.at().plusNanos(1));
    List<FreezeInterval> blocking = active.stream().filter(i -> i.blocks(action)).toList();
    if (active.isEmpty()) {
      return RuleResult.passed("freeze", "no freeze window is active");
    }
    String windows = blocking.stream().map(FreezeInterval::window).distinct().collect(Collectors.joining(", "));
    if (blocking.isEmpty()) {
      return RuleResult.passed("freeze", "frozen by " + active.stream().map(FreezeInterval::window)
          .distinct().collect(Collectors.joining(", ")) + ", which allow " + action.yamlName());
    }
    String until = schedule.nextOpen(request.at(), action).map(t -> " until " + t)
        .orElse(" for more than two years");
    String frozen = "frozen by " + windows + until;
    OverrideSpec override = env.override();
    if (request.override().isEmpty()) {
      return RuleResult.failed("freeze", frozen + (override == null ? "; " + env.name() + " allows no override"
          : "; an emergency override needs a justification and " + override.approvals()
              + " freeze-override approval(s) from " + new Approvers(override.approvers(), directory).describe()));
    }
    if (override == null) {
      return RuleResult.failed("freeze", frozen + "; an override was requested, but " + env.name()
          + " allows none (no 'override' block in its policy)");
    }
    String justification = request.override().get().justification();
    if (justification.length() < override.minJustificationLength()) {
      return RuleResult.failed("freeze", frozen + "; the override justification has " + justification.length()
          + " characters, " + override.minJustificationLength() + " are required: say what breaks and why it"
          + " cannot wait");
    }
    boolean fourEyes = env.gate() == null || env.gate().fourEyes();
    Duration ttl = env.gate() == null ? DEFAULT_TTL : env.gate().approvalTtl();
    ApprovalTally tally = ApprovalTally.of(admitted.votes(), request.candidate(), ApprovalScope.FREEZE_OVERRIDE,
        new Approvers(override.approvers(), directory), PromotionGate.barred(request, fourEyes), ttl, request.at(),
        admitted.notCounted(ApprovalScope.FREEZE_OVERRIDE));
    if (!tally.rejections().isEmpty()) {
      return RuleResult.failed("freeze", frozen + "; the override was rejected by " + tally.rejections().stream()
          .map(Approval::voter).collect(Collectors.joining(", ")), tally.ignored());
    }
    if (tally.approvals().size() < override.approvals()) {
      return RuleResult.failed("freeze", frozen + "; the override has " + tally.approvals().size() + " of "
          + override.approvals() + " required freeze-override approval(s) from "
          + new Approvers(override.approvers(), directory).describe(), tally.ignored());
    }
    String approvedBy = tally.approverNames().isEmpty() ? "" : "; approved by "
        + String.join(", ", tally.approverNames());
    trailers.add(new Trailer("Freeze-Override", windows + approvedBy));
    trailers.add(new Trailer("Override-Justification", justification));
    return RuleResult.passed("freeze", frozen + "; overridden in an emergency" + approvedBy, tally.ignored());
  }
}
