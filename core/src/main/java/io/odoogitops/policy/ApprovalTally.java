package io.odoogitops.policy;

import io.odoogitops.ImageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Counts the votes on one candidate in one scope. Each vote passes, in this order: bound to this environment,
 * application and digest; in this scope; not expired and not dated in the future; the voter's latest vote (one vote
 * per person, so a later rejection replaces an earlier approval); cast by an eligible approver; and, for approvals,
 * not by a barred person (four-eyes). Every vote that does not count is kept with its reason, so the decision can say
 * why "3 approvals" are only 1.
 */
final class ApprovalTally {

  /** Clocks of approval tools and the gate may disagree a little; more than this is a forged or broken time. */
  static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

  private final List<Approval> approvals = new ArrayList<>();
  private final List<Approval> rejections = new ArrayList<>();
  private final List<String> ignored = new ArrayList<>();

  private ApprovalTally() {}

  /**
   * @param barred users who may not approve (initiator and source author under four-eyes); they may still reject
   * @param notAdmitted votes refused before counting (unsigned, bad signature, unknown key), listed first
   */
  static ApprovalTally of(List<Approval> votes, Candidate candidate, ApprovalScope scope, Approvers approvers,
      Set<String> barred, Duration ttl, Instant now, List<String> notAdmitted) {
    ApprovalTally tally = new ApprovalTally();
    tally.ignored.addAll(notAdmitted);
    Map<String, Approval> latest = new LinkedHashMap<>();
    // Oldest first, so the latest vote per person wins; on a tie a rejection sorts last and wins, whatever order
    // the votes file lists them in.
    Comparator<Approval> chronological = Comparator.comparing(Approval::at).thenComparing(Approval::vote);
    for (Approval vote : votes.stream().sorted(chronological).toList()) {
      if (vote.scope() != scope) {
        continue; // votes of the other scope are reported by the other tally
      }
      if (!vote.isFor(candidate)) {
        tally.ignored.add(vote.voter() + ": voted for " + target(vote) + ", not for " + target(candidate));
      } else if (vote.at().isAfter(now.plus(CLOCK_SKEW))) {
        tally.ignored.add(vote.voter() + ": vote dated " + vote.at() + ", in the future");
      } else if (!vote.at().plus(ttl).isAfter(now)) {
        tally.ignored.add(vote.voter() + ": vote of " + vote.at() + " expired (approvals are valid for "
            + human(ttl) + ")");
      } else {
        Approval earlier = latest.put(UserIds.normalize(vote.voter()), vote);
        if (earlier != null) {
          tally.ignored.add(earlier.voter() + ": " + earlier.vote() + " of " + earlier.at()
              + " replaced by a later vote (one vote per person)");
        }
      }
    }
    for (Approval vote : latest.values()) {
      if (!approvers.includes(vote.voter())) {
        tally.ignored.add(vote.voter() + ": not among the approvers (" + approvers.describe() + ")");
      } else if (vote.vote() == Vote.REJECT) {
        tally.rejections.add(vote);
      } else if (barred.stream().anyMatch(b -> UserIds.same(b, vote.voter()))) {
        tally.ignored.add(vote.voter() + ": initiated or authored this change and cannot approve it (four-eyes)");
      } else {
        tally.approvals.add(vote);
      }
    }
    return tally;
  }

  List<Approval> approvals() {
    return List.copyOf(approvals);
  }

  List<Approval> rejections() {
    return List.copyOf(rejections);
  }

  List<String> ignored() {
    return List.copyOf(ignored);
  }

  List<String> approverNames() {
    return approvals.stream().map(Approval::voter).toList();
  }

  private static String target(Approval vote) {
    return vote.environment() + "/" + vote.application() + "@" + shortDigest(vote.digest());
  }

  private static String target(Candidate candidate) {
    return candidate.environment() + "/" + candidate.application() + "@" + shortDigest(candidate.digest());
  }

  /** "7d", "12h", "90m": how people say approval lifetimes. */
  static String human(Duration d) {
    if (d.toMinutes() % (24 * 60) == 0) {
      return d.toDays() + "d";
    }
    return d.toMinutes() % 60 == 0 ? d.toHours() + "h" : d.toMinutes() + "m";
  }

  static String shortDigest(ImageDigest digest) {
    return digest.shortForm() + "...";
  }
}
