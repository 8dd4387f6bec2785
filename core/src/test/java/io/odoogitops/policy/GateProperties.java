package io.odoogitops.policy;

import static io.odoogitops.policy.TestConfigs.DIGEST;
import static io.odoogitops.policy.TestConfigs.OTHER_DIGEST;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Invariants of vote counting over arbitrary piles of votes. */
class GateProperties {

  private static final Instant NOW = Instant.parse("2026-11-18T10:00:00Z");
  private static final Candidate CANDIDATE = Candidate.promotion("production", "odoo", DIGEST);
  private static final List<String> PEOPLE = List.of("alice", "bob", "carol", "Carol", "dave", "erin", "mallory");
  private static final ReleasePolicy POLICY = ReleasePolicy.of(TestConfigs.load("""
      groups:
        release-managers: [carol, dave, erin]
      environments:
        production:
          path: envs/production
          layout: kustomize
          gate: { approvals: 2, approvers: [group:release-managers, user:bob], approvalTtl: P1D }
      """));

  @Provide
  Arbitrary<List<Approval>> votes() {
    return vote().list().ofMaxSize(12);
  }

  private static Arbitrary<Approval> vote() {
    return Combinators.combine(
        Arbitraries.of(PEOPLE),
        Arbitraries.of(DIGEST, OTHER_DIGEST),
        Arbitraries.integers().between(-60 * 30, 10).map(m -> NOW.plus(Duration.ofMinutes(m))),
        Arbitraries.of(Vote.class),
        Arbitraries.of(ApprovalScope.class))
        .as((voter, digest, at, vote, scope) -> new Approval(voter, "production", "odoo", digest, at, vote, scope));
  }

  private static Decision decide(List<Approval> votes) {
    return POLICY.evaluate(GateRequest.builder(CANDIDATE).initiator("alice").sourceAuthor("bob")
        .approvals(votes).at(NOW).build());
  }

  @Property(tries = 300)
  void theOrderOfTheVotesFileDoesNotMatter(@ForAll("votes") List<Approval> votes, @ForAll long seed) {
    List<Approval> shuffled = new ArrayList<>(votes);
    Collections.shuffle(shuffled, new Random(seed));

    assertThat(decide(shuffled).rules()).extracting(RuleResult::outcome)
        .isEqualTo(decide(votes).rules().stream().map(RuleResult::outcome).toList());
  }

  @Property(tries = 300)
  void votesForAnotherDigestNeverChangeTheOutcome(@ForAll("votes") List<Approval> votes) {
    List<Approval> forThisDigest = votes.stream().filter(v -> v.digest().equals(DIGEST)).toList();

    assertThat(decide(votes).rules()).extracting(RuleResult::outcome)
        .isEqualTo(decide(forThisDigest).rules().stream().map(RuleResult::outcome).toList());
  }

  @Property(tries = 300)
  void countedApproversAreDistinctEligibleAndNeverTheInitiatorOrAuthor(@ForAll("votes") List<Approval> votes) {
    List<String> approvedBy = decide(votes).trailers().stream()
        .filter(t -> t.key().equals("Approved-By")).map(Trailer::value).toList();

    assertThat(approvedBy).doesNotHaveDuplicates();
    assertThat(approvedBy.stream().map(v -> v.toLowerCase(Locale.ROOT)).distinct().count())
        .isEqualTo(approvedBy.size());
    assertThat(approvedBy).allSatisfy(v -> assertThat(Set.of("carol", "Carol", "dave", "erin")).contains(v));
  }
}
