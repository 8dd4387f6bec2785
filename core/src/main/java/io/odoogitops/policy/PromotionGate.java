package io.odoogitops.policy;

import io.odoogitops.ImageDigest;
import io.odoogitops.config.EnvironmentSpec;
import io.odoogitops.config.GateSpec;
import io.odoogitops.config.ReleaseConfig;
import io.odoogitops.config.RestorePointPolicy;
import io.odoogitops.restore.RestorePoint;
import io.odoogitops.restore.RestorePointRef;
import io.odoogitops.restore.RestorePointRule;
import io.odoogitops.restore.RestorePointSignature;
import io.odoogitops.signing.AllowedSigners;
import io.odoogitops.signing.SignatureCheck;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Evaluates the rules of one environment for one request. Every rule is evaluated even after one failed, so a refusal
 * lists everything that still has to happen, not just the first obstacle.
 */
final class PromotionGate {

  private final EnvironmentSpec env;
  private final FreezeSchedule schedule;
  private final GroupDirectory directory;
  private final Optional<AllowedSigners> signers;

  PromotionGate(EnvironmentSpec env, FreezeSchedule schedule, GroupDirectory directory,
      Optional<AllowedSigners> signers) {
    this.env = env;
    this.schedule = schedule;
    this.directory = directory;
    this.signers = signers;
  }

  Decision evaluate(GateRequest request) {
    List<RuleResult> rules = new ArrayList<>();
    List<Trailer> trailers = new ArrayList<>();
    VoteAdmission.Admitted admitted = VoteAdmission.admit(request, signers);
    boolean rollback = request.candidate().action() == Action.ROLLBACK;
    if (rollback) {
      // A rollback restores a digest that passed this environment's gate when it first came; in an incident,
      // waiting for fresh approvals of the old digest only prolongs the outage. The freeze rule still applies.
      String why = "not checked for a rollback: the restored digest passed this gate when it was promoted";
      rules.add(RuleResult.notApplicable("promote-from", why));
      rules.add(RuleResult.notApplicable("dry-run", why));
      rules.add(RuleResult.notApplicable("restore-point", why));
      rules.add(RuleResult.notApplicable("approvals", why));
      rules.add(RuleResult.notApplicable("rejections", why));
    } else {
      rules.add(promoteFrom(request));
      rules.add(dryRun(request, trailers));
      rules.add(restorePoint(request, trailers));
      approvals(request, admitted, rules, trailers);
    }
    rules.add(new FreezeRule(env, schedule, directory).evaluate(request, admitted, trailers));
    rules.add(HoldRule.evaluate(request));
    return new Decision(request.candidate(), request.at(), rules, orderedTrailers(trailers),
        notices(request, admitted));
  }

  /** Without allowed signers, every vote is somebody's word: say so wherever votes matter. */
  private List<String> notices(GateRequest request, VoteAdmission.Admitted admitted) {
    boolean votesMatter = (env.gate() != null && env.gate().approvals() > 0) || env.override() != null
        || !request.approvals().isEmpty() || !request.ballots().signed().isEmpty();
    if (admitted.verified() || !votesMatter) {
      return List.of();
    }
    return List.of("votes are unverified: " + ReleaseConfig.FILE_NAME + " has no allowedSigners, so anyone who"
        + " can write a votes file can vote; this gate is advisory (see docs/policy.md, Signed votes)");
  }

  /**
   * The first instant after the request's at which the same request, without a new vote, may be decided otherwise: a
   * freeze window ending or starting, a vote expiring, or a vote dated ahead coming within the clock skew. A gate that
   * waits re-evaluates then instead of polling; empty when no such instant is within the freeze search horizon.
   */
  Optional<Instant> nextChange(GateRequest request) {
    Instant at = request.at();
    List<Instant> moments = new ArrayList<>();
    FreezeStatus status = schedule.status(at);
    status.active().forEach(interval -> moments.add(interval.end()));
    status.nextFreeze().ifPresent(interval -> moments.add(interval.start()));
    Duration ttl = env.gate() == null ? FreezeRule.DEFAULT_TTL : env.gate().approvalTtl();
    // only votes that would count: an unverifiable vote's expiry changes nothing
    VoteAdmission.admit(request, signers).votes().stream().filter(vote -> vote.isFor(request.candidate()))
        .forEach(vote -> {
          moments.add(vote.at().plus(ttl));
          moments.add(vote.at().minus(ApprovalTally.CLOCK_SKEW));
        });
    return moments.stream().filter(moment -> moment.isAfter(at)).min(Comparator.naturalOrder());
  }

  private RuleResult promoteFrom(GateRequest request) {
    String upstream = env.promoteFrom();
    if (upstream == null) {
      return RuleResult.notApplicable("promote-from", env.name() + " has no promoteFrom environment");
    }
    ImageDigest digest = request.candidate().digest();
    Optional<UpstreamEvidence> evidence = request.upstream();
    if (evidence.isEmpty()) {
      return RuleResult.failed("promote-from", env.name() + " promotes from " + upstream + ", but no record of"
          + " what was promoted to " + upstream + " was supplied");
    }
    if (!evidence.get().environment().equals(upstream)) {
      return RuleResult.failed("promote-from", "the supplied history is of " + evidence.get().environment()
          + ", but " + env.name() + " promotes from " + upstream);
    }
    if (!evidence.get().digests().contains(digest)) {
      return RuleResult.failed("promote-from", digest + " was never promoted to " + upstream
          + "; promote it there first (environments go in order: " + upstream + " -> " + env.name() + ")");
    }
    return RuleResult.passed("promote-from", digest + " was promoted to " + upstream + " before");
  }

  private RuleResult dryRun(GateRequest request, List<Trailer> trailers) {
    GateSpec gate = env.gate();
    ImageDigest digest = request.candidate().digest();
    Optional<DryRunEvidence> evidence = request.dryRun().filter(e -> e.digest().equals(digest));
    evidence.ifPresent(e -> trailers.add(new Trailer("Dry-Run", e.verdict() + " " + e.reportSha256())));
    if (gate == null || gate.dryRun() == null) {
      return RuleResult.notApplicable("dry-run", env.name() + " requires no dry-run");
    }
    Verdict worst = Verdict.parse(gate.dryRun());
    if (request.dryRun().isEmpty()) {
      return RuleResult.failed("dry-run", "no dry-run report for " + digest + "; " + env.name()
          + " requires a verdict of " + accepted(worst) + " (run the dry-run and pass its report)");
    }
    if (evidence.isEmpty()) {
      return RuleResult.failed("dry-run", "the dry-run report is for " + request.dryRun().get().digest()
          + ", not for " + digest + "; dry-run this digest");
    }
    Optional<String> unsigned = signatureProblem(evidence.get(), gate.dryRunSigners(), request.at());
    if (unsigned.isPresent()) {
      return RuleResult.failed("dry-run", unsigned.get());
    }
    Verdict verdict = evidence.get().verdict();
    if (!verdict.acceptedBy(worst)) {
      return RuleResult.failed("dry-run", "dry-run verdict " + verdict + "; " + env.name() + " accepts "
          + accepted(worst) + " (report " + evidence.get().reportSha256() + ")");
    }
    return RuleResult.passed("dry-run", "dry-run verdict " + verdict + " is accepted (" + accepted(worst)
        + "), report " + evidence.get().reportSha256());
  }

  /**
   * The restore point rule: whether the environment asks for a point before this release ({@code restorePoint}, and
   * the dry-run's rollback safety), and whether the given one protects it. The dry-run's RESTORE_REQUIRED and an
   * accepted point are recorded as trailers, so a later rollback knows them from the history alone.
   */
  private RuleResult restorePoint(GateRequest request, List<Trailer> trailers) {
    Candidate candidate = request.candidate();
    ImageDigest digest = candidate.digest();
    Optional<DryRunEvidence> dryRun = request.dryRun().filter(e -> e.digest().equals(digest));
    boolean restoreRequired = dryRun.map(DryRunEvidence::restoreRequired).orElse(false);
    if (restoreRequired) {
      trailers.add(new Trailer(DryRunEvidence.ROLLBACK_SAFETY, DryRunEvidence.RESTORE_REQUIRED));
    }
    Instant dryRunAt = dryRun.map(DryRunEvidence::finishedAt).orElse(null);
    // A dry-run whose finish time is unknown (a Jenkins build record older than the time was kept) bounds nothing:
    // no point can be shown to be taken after it, so none protects the release, rather than any passing unchecked.
    boolean timeUnknown = dryRun.isPresent() && dryRunAt == null;
    Optional<String> unsigned = request.restorePoint().flatMap(p -> restorePointSignatureProblem(p,
        request.restorePointSignature(), request.at()));
    // A point no named signer vouches for is no point: it neither protects nor is recorded.
    Optional<RestorePoint> point = request.restorePoint().filter(p -> unsigned.isEmpty());
    boolean protects = point.isPresent() && !timeUnknown && point.get().problemsFor(env.name(),
        candidate.application(), digest, dryRunAt).isEmpty();
    if (protects) {
      trailers.add(new Trailer(RestorePointRef.TRAILER, point.get().ref().trailerValue()));
    }
    RestorePointPolicy policy = env.restorePoint();
    if (policy == RestorePointPolicy.OFF) {
      return RuleResult.notApplicable("restore-point", env.name() + " asks for no restore point (restorePoint: off)"
          + (protects ? "; the given point " + point.get().id() + " is recorded" : "")
          + unsigned.map(reason -> "; the given point is not recorded: " + reason).orElse(""));
    }
    // Without the report nobody knows whether the release is RESTORE_REQUIRED: leaving the report out must not
    // be a way around the rule.
    boolean unknown = policy == RestorePointPolicy.WHEN_RESTORE_REQUIRED && dryRun.isEmpty();
    if (unsigned.isPresent() && (unknown || policy.requires(restoreRequired))) {
      return RuleResult.failed("restore-point", unsigned.get());
    }
    if (unknown && !protects) {
      return RuleResult.failed("restore-point", env.name() + " asks for a restore point when the dry-run says"
          + " RESTORE_REQUIRED (restorePoint: whenRestoreRequired), and no dry-run report of " + digest + " says"
          + " whether it does; pass the dry-run report (--dry-run-report), or take a restore point with"
          + " 'odoo-gitops restore-point take --env " + env.name() + " --app " + candidate.application()
          + " --digest " + digest + "' and pass it with --restore-point");
    }
    if (unknown) {
      return RuleResult.passed("restore-point", "restore point " + point.get().ref() + " of " + env.name()
          + " protects " + ImageDigest.shortForm(digest) + " (no dry-run report said whether one was needed)");
    }
    if (!policy.requires(restoreRequired)) {
      return RuleResult.notApplicable("restore-point", "the dry-run says the previous image can run on the"
          + " migrated schema, so " + env.name() + " needs no restore point (restorePoint: " + policy.yamlName()
          + ")");
    }
    if (timeUnknown && point.isPresent()) {
      return RuleResult.failed("restore-point", "the dry-run evidence of " + ImageDigest.shortForm(digest)
          + " does not say when the dry-run finished, so restore point " + point.get().id() + " cannot be shown to"
          + " be taken after it; " + env.name() + " requires a point taken after the last dry-run (restorePoint: "
          + policy.yamlName() + "): run the dry-run again (or pass its JSON report) and take a fresh point");
    }
    List<String> problems = RestorePointRule.problems(policy, restoreRequired, point, env.name(),
        candidate.application(), digest, dryRunAt);
    if (!problems.isEmpty()) {
      return RuleResult.failed("restore-point", String.join("; ", problems) + (point.isPresent()
          ? " ('odoo-gitops restore-point take --env " + env.name() + " --app " + candidate.application()
              + " --digest " + digest + "')" : "") + "; pass its evidence file with --restore-point");
    }
    return RuleResult.passed("restore-point", "restore point " + point.get().ref() + " of " + env.name()
        + " protects " + ImageDigest.shortForm(digest) + (dryRunAt == null ? "" : " (taken after the dry-run"
        + " finished at " + dryRunAt + ")"));
  }

  /**
   * Why the report cannot be trusted to come from a dry-run, when the policy names who signs dry-runs: no signature,
   * a signature that does not cover the bytes that were parsed, or a key that may not sign as any named signer.
   */
  Optional<String> signatureProblem(DryRunEvidence evidence, List<String> allowed, Instant at) {
    if (allowed.isEmpty()) {
      return Optional.empty();
    }
    String who = String.join(", ", allowed);
    SignatureCheck check = evidence.signature();
    if (check == null) {
      return Optional.of("the dry-run report " + evidence.reportSha256() + " is not signed (no dry-run.json.sig"
          + " next to it); " + env.name() + " accepts only reports signed by " + who + ", so a report written by"
          + " hand never passes. Rerun the dry-run with --signing-key");
    }
    if (!check.valid()) {
      return Optional.of("the dry-run report's signature does not hold: " + check.detail() + "; the report was"
          + " changed after signing or not made by a dry-run. Rerun the dry-run with --signing-key");
    }
    if (signers.isEmpty()) {
      return Optional.of("dryRunSigners needs allowedSigners to look up the keys of " + who);
    }
    return untrusted(allowed, check, DryRunEvidence.SIGNATURE_NAMESPACE, at).map(detail -> "the dry-run report is"
        + " signed with key " + check.fingerprint() + ", which may not sign dry-run reports as " + who + " ("
        + detail + ")");
  }

  /** Why none of {@code allowed} may sign with the key of {@code check} in {@code namespace}; empty when one may. */
  private Optional<String> untrusted(List<String> allowed, SignatureCheck check, String namespace, Instant at) {
    String detail = null;
    for (String name : allowed) {
      AllowedSigners.Trust trust = signers.get().check(name, check.key(), namespace, at);
      if (trust.allowed()) {
        return Optional.empty();
      }
      detail = detail == null ? trust.detail() : detail;
    }
    return Optional.of(String.valueOf(detail));
  }

  /**
   * Why the restore point cannot be trusted to come from {@code restore-point take} run by a named signer, when the
   * policy names them ({@code restorePointSigners}): the reasons the dry-run rule gives for a report.
   */
  Optional<String> restorePointSignatureProblem(RestorePoint point, String signature, Instant at) {
    List<String> allowed = env.gate() == null ? List.of() : env.gate().restorePointSigners();
    if (allowed.isEmpty()) {
      return Optional.empty();
    }
    String who = String.join(", ", allowed);
    if (signature == null) {
      return Optional.of("the restore point " + point.id() + " is not signed (no " + RestorePointSignature.SUFFIX
          + " file next to its evidence); " + env.name() + " accepts only restore points signed by " + who
          + ", so evidence written by hand never passes. Take it with 'odoo-gitops restore-point take"
          + " --signing-key'");
    }
    SignatureCheck check = RestorePointSignature.check(point, signature);
    if (!check.valid()) {
      return Optional.of("the signature of restore point " + point.id() + " does not hold: " + check.detail()
          + "; the evidence was changed after signing or not written by restore-point take. Take it again with"
          + " --signing-key");
    }
    if (signers.isEmpty()) {
      return Optional.of("restorePointSigners needs allowedSigners to look up the keys of " + who);
    }
    return untrusted(allowed, check, RestorePointSignature.NAMESPACE, at).map(detail -> "the restore point "
        + point.id() + " is signed with key " + check.fingerprint() + ", which may not sign restore points as " + who
        + " (" + detail + ")");
  }

  private static String accepted(Verdict worst) {
    return worst == Verdict.PASS ? "PASS" : "PASS or WARN";
  }

  private void approvals(GateRequest request, VoteAdmission.Admitted admitted, List<RuleResult> rules,
      List<Trailer> trailers) {
    GateSpec gate = env.gate();
    if (gate == null) {
      rules.add(RuleResult.notApplicable("approvals", env.name() + " has no gate"));
      rules.add(RuleResult.notApplicable("rejections", env.name() + " has no gate"));
      return;
    }
    ApprovalTally tally = ApprovalTally.of(admitted.votes(), request.candidate(), ApprovalScope.PROMOTION,
        new Approvers(gate.approvers(), directory), barred(request, gate.fourEyes()), gate.approvalTtl(),
        request.at(), admitted.notCounted(ApprovalScope.PROMOTION));
    tally.approverNames().forEach(name -> trailers.add(new Trailer("Approved-By", name)));
    tally.approvals().stream().filter(admitted.keys()::containsKey)
        .forEach(a -> trailers.add(new Trailer("Approval-Key", a.voter() + " " + admitted.keys().get(a))));
    int have = tally.approvals().size();
    int need = gate.approvals();
    String counted = have == 0 ? "none" : String.join(", ", tally.approverNames());
    if (have >= need) {
      rules.add(RuleResult.passed("approvals", have + " of " + need + " required approval(s) from "
          + new Approvers(gate.approvers(), directory).describe() + ": " + counted, tally.ignored()));
    } else {
      rules.add(RuleResult.failed("approvals", have + " of " + need + " required approval(s) from "
          + new Approvers(gate.approvers(), directory).describe() + " (counted: " + counted + ")"
          + (gate.fourEyes() ? "; the initiator and the source author cannot approve" : ""), tally.ignored()));
    }
    if (tally.rejections().isEmpty()) {
      rules.add(RuleResult.passed("rejections", "no approver rejected this digest"));
    } else {
      rules.add(RuleResult.failed("rejections", "rejected by " + tally.rejections().stream()
          .map(r -> r.voter() + " at " + r.at()).collect(Collectors.joining(", "))
          + "; a rejection stops the promotion until that person approves"));
    }
  }

  /**
   * Who may not approve: under four-eyes, the initiator and every identity of the source revision's author. Claims
   * are barred as well as verified facts: a claim can only take approvals away, so claiming to be someone else never
   * helps anyone through the gate.
   */
  static Set<String> barred(GateRequest request, boolean fourEyes) {
    Set<String> barred = new HashSet<>();
    if (fourEyes) {
      barred.add(request.initiator());
      if (request.sourceAuthor() != null) {
        barred.add(request.sourceAuthor());
      }
      barred.addAll(request.authorIdentities());
    }
    return barred;
  }

  /** Trailers in the documented order, whatever order the rules produced them in. */
  private static List<Trailer> orderedTrailers(List<Trailer> trailers) {
    List<String> order = List.of("Approved-By", "Approval-Key", "Dry-Run", DryRunEvidence.ROLLBACK_SAFETY,
        RestorePointRef.TRAILER, "Freeze-Override", "Override-Justification");
    return trailers.stream().sorted(Comparator.comparingInt(t -> order.indexOf(t.key()))).toList();
  }
}
