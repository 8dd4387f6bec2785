package io.odoogitops.policy;

import static io.odoogitops.policy.TestConfigs.DIGEST;
import static io.odoogitops.policy.TestConfigs.OTHER_DIGEST;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * When a waiting gate must look again without a new vote: the answer is checked against {@link ReleasePolicy#evaluate}
 * itself, which decides the same request one way just before that instant and the other way at it.
 */
class NextChangeTest {

  private static final Instant NOW = Instant.parse("2026-11-18T10:00:00Z");
  /** 2026-12-20T00:00 and 2027-01-04T08:00 in Brussels (CET, UTC+1). */
  private static final Instant FREEZE_START = Instant.parse("2026-12-19T23:00:00Z");
  private static final Instant FREEZE_END = Instant.parse("2027-01-04T07:00:00Z");

  private static final ReleasePolicy POLICY = ReleasePolicy.of(TestConfigs.load("""
      timeZone: Europe/Brussels
      environments:
        staging: { path: envs/staging, layout: kustomize }
        production:
          path: envs/production
          layout: kustomize
          gate: { approvals: 2, approvers: [carol, dave, erin], approvalTtl: P2D }
          freeze:
            - { name: holidays, from: 2026-12-20T00:00, to: 2027-01-04T08:00 }
          override: { approvals: 1, approvers: [erin] }
        open:
          path: envs/open
          layout: kustomize
      """));

  private static final Candidate CANDIDATE = Candidate.promotion("production", "odoo", DIGEST);

  private static GateRequest.Builder request(Instant at) {
    return GateRequest.builder(CANDIDATE).initiator("alice").at(at);
  }

  @Test
  void theOldestCountedApprovalExpiringIsTheNextChange() {
    Instant carol = NOW.minus(Duration.ofHours(2));
    GateRequest.Builder votes = request(NOW)
        .approval(Approval.approve("carol", CANDIDATE, carol))
        .approval(Approval.approve("dave", CANDIDATE, NOW.minus(Duration.ofHours(1))));

    Instant expiry = carol.plus(Duration.ofDays(2));
    assertThat(POLICY.nextChange(votes.build())).contains(expiry);
    assertThat(POLICY.evaluate(votes.at(expiry.minusMillis(1)).build()).allowed()).isTrue();
    assertThat(POLICY.evaluate(votes.at(expiry).build()).allowed()).isFalse();
  }

  @Test
  void aWaitingGateBeforeAFreezeChangesWhenTheFreezeStarts() {
    GateRequest.Builder votes = request(FREEZE_START.minus(Duration.ofHours(1)))
        .approval(Approval.approve("carol", CANDIDATE, FREEZE_START.minus(Duration.ofHours(3))))
        .approval(Approval.approve("dave", CANDIDATE, FREEZE_START.minus(Duration.ofHours(2))));

    assertThat(POLICY.nextChange(votes.build())).contains(FREEZE_START);
    assertThat(POLICY.evaluate(votes.at(FREEZE_START).build()).failures()).extracting(RuleResult::rule)
        .containsExactly("freeze");
  }

  @Test
  void aGateInAFreezeChangesWhenTheFreezeEnds() {
    Instant inFreeze = FREEZE_END.minus(Duration.ofHours(5));
    GateRequest.Builder votes = request(inFreeze)
        .approval(Approval.approve("carol", CANDIDATE, inFreeze.minus(Duration.ofHours(2))))
        .approval(Approval.approve("dave", CANDIDATE, inFreeze.minus(Duration.ofHours(1))));

    assertThat(POLICY.nextChange(votes.build())).contains(FREEZE_END);
    assertThat(POLICY.evaluate(votes.build()).allowed()).isFalse();
    assertThat(POLICY.evaluate(votes.at(FREEZE_END).build()).allowed()).isTrue();
  }

  @Test
  void aVoteDatedAheadCountsOnceWithinTheClockSkew() {
    Instant ahead = NOW.plus(Duration.ofMinutes(30));
    GateRequest.Builder votes = request(NOW).approval(Approval.approve("carol", CANDIDATE, ahead));

    Instant countable = ahead.minus(ApprovalTally.CLOCK_SKEW);
    assertThat(POLICY.nextChange(votes.build())).contains(countable);
    assertThat(POLICY.evaluate(votes.at(countable).build()).rules()).filteredOn(r -> r.rule().equals("approvals"))
        .extracting(RuleResult::reason).first().asString().startsWith("1 of 2");
  }

  @Test
  void votesForAnotherDigestChangeNothing() {
    Candidate other = Candidate.promotion("production", "odoo", OTHER_DIGEST);
    GateRequest request = request(NOW).approval(Approval.approve("carol", other, NOW)).build();

    assertThat(POLICY.nextChange(request)).contains(FREEZE_START);
  }

  @Test
  void anEnvironmentWithoutFreezeOrVotesNeverChangesByItself() {
    GateRequest request = GateRequest.builder(Candidate.promotion("open", "odoo", DIGEST)).initiator("alice")
        .at(NOW).build();

    assertThat(POLICY.nextChange(request)).isEmpty();
    assertThat(POLICY.evaluate(request).allowed()).isTrue();
  }
}
