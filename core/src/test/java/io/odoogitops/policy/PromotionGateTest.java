package io.odoogitops.policy;

import static io.odoogitops.policy.TestConfigs.DIGEST;
import static io.odoogitops.policy.TestConfigs.OTHER_DIGEST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.odoogitops.ImageDigest;
import io.odoogitops.ReleaseException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class PromotionGateTest {

  private static final Instant NOW = Instant.parse("2026-11-18T10:00:00Z");
  private static final Instant IN_FREEZE = Instant.parse("2026-12-24T10:00:00Z");
  private static final String REPORT = "sha256:" + "c".repeat(64);

  private static final ReleasePolicy POLICY = ReleasePolicy.of(TestConfigs.load("""
      timeZone: Europe/Brussels
      groups:
        release-managers: [carol, dave, erin]
      environments:
        staging: { path: envs/staging, layout: kustomize }
        production:
          path: envs/production
          layout: kustomize
          promoteFrom: staging
          gate:
            approvals: 2
            approvers: [group:release-managers, user:frank]
            dryRun: WARN
            approvalTtl: P2D
          freeze:
            - { name: holidays, from: 2026-12-20T00:00, to: 2027-01-04T08:00 }
          override: { approvals: 1, approvers: [group:release-managers] }
        strict:
          path: envs/strict
          layout: kustomize
          gate: { approvals: 1, approvers: [carol, bob], fourEyes: false, dryRun: PASS }
          freeze:
            - { from: 2026-12-20T00:00, to: 2027-01-04T08:00 }
      """));

  private static final Candidate CANDIDATE = Candidate.promotion("production", "odoo", DIGEST);

  /** A request that passes every rule; tests take one thing away or add one. */
  private static GateRequest.Builder complete(Instant at) {
    return GateRequest.builder(CANDIDATE)
        .initiator("alice")
        .sourceAuthor("bob")
        .approval(Approval.approve("carol", CANDIDATE, at.minus(Duration.ofHours(2))))
        .approval(Approval.approve("dave", CANDIDATE, at.minus(Duration.ofHours(1))))
        .dryRun(new DryRunEvidence(DIGEST, Verdict.PASS, REPORT))
        .upstream(new UpstreamEvidence("staging", Set.of(OTHER_DIGEST, DIGEST)))
        .holds(new HoldEvidence("production", "odoo", List.of()))
        .at(at);
  }

  private static RuleResult rule(Decision decision, String name) {
    return decision.rules().stream().filter(r -> r.rule().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void everyRuleIsReportedAndTheTrailersRecordTheEvidence() {
    Decision decision = POLICY.evaluate(complete(NOW).build());

    assertThat(decision.allowed()).isTrue();
    assertThat(decision.rules()).extracting(RuleResult::rule)
        .containsExactly("promote-from", "dry-run", "restore-point", "approvals", "rejections", "freeze", "hold");
    // production asks for no restore point (restorePoint: off)
    assertThat(decision.rules()).filteredOn(r -> !r.rule().equals("restore-point")).extracting(RuleResult::outcome)
        .containsOnly(Outcome.PASSED);
    assertThat(decision.trailers()).extracting(Trailer::toString).containsExactly(
        "Approved-By: carol", "Approved-By: dave", "Dry-Run: PASS " + REPORT);
  }

  @Nested
  class Approvals {

    @Test
    void theInitiatorCannotApproveTheirOwnPromotion() {
      Decision decision = POLICY.evaluate(complete(NOW).initiator("Carol").build());

      assertThat(decision.allowed()).isFalse();
      assertThat(rule(decision, "approvals").reason()).startsWith("1 of 2");
      assertThat(rule(decision, "approvals").details()).anySatisfy(d -> assertThat(d).contains("carol", "four-eyes"));
    }

    @Test
    void theSourceAuthorCannotApprove() {
      Decision decision = POLICY.evaluate(complete(NOW).sourceAuthor("dave").build());

      assertThat(rule(decision, "approvals").outcome()).isEqualTo(Outcome.FAILED);
      assertThat(decision.trailers()).extracting(Trailer::value).doesNotContain("dave");
    }

    @Test
    void withoutFourEyesTheInitiatorMayApprove() {
      Candidate strict = Candidate.promotion("strict", "odoo", DIGEST);
      Decision decision = POLICY.evaluate(GateRequest.builder(strict).initiator("carol")
          .approval(Approval.approve("carol", strict, NOW)).dryRun(new DryRunEvidence(DIGEST, Verdict.PASS, REPORT))
          .at(NOW).build());

      assertThat(decision.allowed()).isTrue();
    }

    @Test
    void onePersonVotingTwiceCountsOnce() {
      Decision decision = POLICY.evaluate(complete(NOW)
          .approvals(List.of())
          .approval(Approval.approve("carol", CANDIDATE, NOW.minusSeconds(60)))
          .build());

      // carol approved twice (once in complete(), once here): one vote counts; dave's still counts.
      assertThat(rule(decision, "approvals").reason()).startsWith("2 of 2");
      assertThat(rule(decision, "approvals").details()).anySatisfy(d -> assertThat(d).contains("one vote per person"));
      assertThat(decision.trailers()).filteredOn(t -> t.key().equals("Approved-By")).hasSize(2);
    }

    @Test
    void aLaterRejectionReplacesTheSamePersonsApproval() {
      Decision decision = POLICY.evaluate(complete(NOW)
          .approval(Approval.reject("dave", CANDIDATE, NOW.minusSeconds(10))).build());

      assertThat(decision.allowed()).isFalse();
      assertThat(rule(decision, "rejections").outcome()).isEqualTo(Outcome.FAILED);
      assertThat(rule(decision, "rejections").reason()).contains("dave");
      assertThat(rule(decision, "approvals").reason()).startsWith("1 of 2");
    }

    @Test
    void aRejectionAndAnApprovalAtTheSameInstantMeanRejected() {
      Instant sameInstant = NOW.minus(Duration.ofHours(1));
      // The rejection is listed first: file order must not decide which of two simultaneous votes counts.
      Decision decision = POLICY.evaluate(GateRequest.builder(CANDIDATE).initiator("alice")
          .approval(Approval.reject("dave", CANDIDATE, sameInstant))
          .approval(Approval.approve("dave", CANDIDATE, sameInstant))
          .approval(Approval.approve("carol", CANDIDATE, sameInstant))
          .dryRun(new DryRunEvidence(DIGEST, Verdict.PASS, REPORT))
          .upstream(new UpstreamEvidence("staging", Set.of(DIGEST))).at(NOW).build());

      assertThat(rule(decision, "rejections").outcome()).isEqualTo(Outcome.FAILED);
    }

    @Test
    void aRejectionStopsThePromotionEvenWithEnoughApprovals() {
      Decision decision = POLICY.evaluate(complete(NOW)
          .approval(Approval.reject("erin", CANDIDATE, NOW.minusSeconds(10))).build());

      assertThat(rule(decision, "approvals").outcome()).isEqualTo(Outcome.PASSED);
      assertThat(decision.allowed()).isFalse();
    }

    @Test
    void anApprovalOfAnotherDigestDoesNotCount() {
      Candidate other = Candidate.promotion("production", "odoo", OTHER_DIGEST);
      Decision decision = POLICY.evaluate(complete(NOW).approvals(List.of())
          .approval(Approval.approve("erin", other, NOW)).build());

      assertThat(rule(decision, "approvals").reason()).startsWith("2 of 2");
      assertThat(rule(decision, "approvals").details())
          .anySatisfy(d -> assertThat(d).contains("erin", "sha256:bbbbbbbbbbbb"));
    }

    @Test
    void anApprovalForAnotherEnvironmentDoesNotCount() {
      Candidate staging = Candidate.promotion("staging", "odoo", DIGEST);
      GateRequest request = GateRequest.builder(CANDIDATE).initiator("alice")
          .approval(Approval.approve("carol", staging, NOW))
          .approval(Approval.approve("dave", CANDIDATE, NOW))
          .dryRun(new DryRunEvidence(DIGEST, Verdict.PASS, REPORT))
          .upstream(new UpstreamEvidence("staging", Set.of(DIGEST))).at(NOW).build();

      Decision decision = POLICY.evaluate(request);

      assertThat(rule(decision, "approvals").reason()).startsWith("1 of 2");
      assertThat(rule(decision, "approvals").details()).anySatisfy(d -> assertThat(d).contains("staging/odoo"));
    }

    @Test
    void expiredAndFutureApprovalsDoNotCount() {
      GateRequest request = GateRequest.builder(CANDIDATE).initiator("alice")
          .approval(Approval.approve("carol", CANDIDATE, NOW.minus(Duration.ofDays(2))))
          .approval(Approval.approve("dave", CANDIDATE, NOW.plus(Duration.ofHours(1))))
          .dryRun(new DryRunEvidence(DIGEST, Verdict.PASS, REPORT))
          .upstream(new UpstreamEvidence("staging", Set.of(DIGEST))).at(NOW).build();

      Decision decision = POLICY.evaluate(request);

      assertThat(rule(decision, "approvals").reason()).startsWith("0 of 2");
      assertThat(rule(decision, "approvals").details()).hasSize(2)
          .anySatisfy(d -> assertThat(d).contains("carol", "expired"))
          .anySatisfy(d -> assertThat(d).contains("dave", "future"));
    }

    @Test
    void onlyNamedUsersAndGroupMembersCount() {
      Decision decision = POLICY.evaluate(complete(NOW).approvals(List.of())
          .approval(Approval.approve("frank", CANDIDATE, NOW))
          .approval(Approval.approve("mallory", CANDIDATE, NOW)).build());

      assertThat(rule(decision, "approvals").reason()).startsWith("3 of 2");
      assertThat(rule(decision, "approvals").details())
          .anySatisfy(d -> assertThat(d).contains("mallory", "not among the approvers"));
      assertThat(decision.trailers()).extracting(Trailer::value).doesNotContain("mallory");
    }
  }

  @Nested
  class Checks {

    @Test
    void aMissingDryRunIsRefused() {
      Decision decision = POLICY.evaluate(complete(NOW).dryRun(null).build());

      assertThat(rule(decision, "dry-run").outcome()).isEqualTo(Outcome.FAILED);
      assertThat(rule(decision, "dry-run").reason()).contains("no dry-run report");
      assertThat(decision.trailers()).extracting(Trailer::key).doesNotContain("Dry-Run");
    }

    @Test
    void aDryRunOfAnotherDigestIsRefused() {
      Decision decision = POLICY.evaluate(complete(NOW)
          .dryRun(new DryRunEvidence(OTHER_DIGEST, Verdict.PASS, REPORT)).build());

      assertThat(rule(decision, "dry-run").reason()).contains("is for " + OTHER_DIGEST);
      assertThat(decision.allowed()).isFalse();
    }

    @Test
    void verdictsAreComparedWithTheWorstAccepted() {
      assertThat(POLICY.evaluate(complete(NOW).dryRun(new DryRunEvidence(DIGEST, Verdict.WARN, REPORT)).build())
          .allowed()).isTrue();
      Decision failed = POLICY.evaluate(complete(NOW).dryRun(new DryRunEvidence(DIGEST, Verdict.FAIL, REPORT))
          .build());
      assertThat(rule(failed, "dry-run").reason()).contains("FAIL", "PASS or WARN");
      assertThat(failed.trailers()).contains(new Trailer("Dry-Run", "FAIL " + REPORT));

      Candidate strict = Candidate.promotion("strict", "odoo", DIGEST);
      Decision warnInStrict = POLICY.evaluate(GateRequest.builder(strict).initiator("alice")
          .approval(Approval.approve("bob", strict, NOW)).dryRun(new DryRunEvidence(DIGEST, Verdict.WARN, REPORT))
          .at(NOW).build());
      assertThat(rule(warnInStrict, "dry-run").outcome()).isEqualTo(Outcome.FAILED);
    }

    @Test
    void environmentsArePromotedInOrder() {
      Decision skipped = POLICY.evaluate(complete(NOW)
          .upstream(new UpstreamEvidence("staging", Set.of(OTHER_DIGEST))).build());
      Decision noHistory = POLICY.evaluate(complete(NOW).upstream(null).build());
      Decision wrongHistory = POLICY.evaluate(complete(NOW)
          .upstream(new UpstreamEvidence("strict", Set.of(DIGEST))).build());

      assertThat(rule(skipped, "promote-from").reason()).contains("never promoted to staging");
      assertThat(rule(noHistory, "promote-from").outcome()).isEqualTo(Outcome.FAILED);
      assertThat(rule(wrongHistory, "promote-from").reason()).contains("history is of strict");
    }

    @Test
    void anEnvironmentWithoutPromoteFromOrGateSaysSo() {
      Candidate staging = Candidate.promotion("staging", "odoo", DIGEST);
      Decision decision = POLICY.evaluate(GateRequest.builder(staging).initiator("alice").at(NOW).build());

      assertThat(decision.allowed()).isTrue();
      assertThat(decision.rules()).extracting(RuleResult::outcome).containsExactly(Outcome.NOT_APPLICABLE,
          Outcome.NOT_APPLICABLE, Outcome.NOT_APPLICABLE, Outcome.NOT_APPLICABLE, Outcome.NOT_APPLICABLE,
          Outcome.PASSED, Outcome.NOT_APPLICABLE);
    }
  }

  @Nested
  class Holds {

    @Test
    void aHeldDigestIsRefusedNamingTheRollbackAndHowToReleaseIt() {
      HoldEvidence held = new HoldEvidence("production", "odoo", List.of(new HoldEvidence.Held(DIGEST,
          "0123456789abcdef0123456789abcdef01234567", NOW.minus(Duration.ofHours(1)))));
      Decision decision = POLICY.evaluate(complete(NOW).holds(held).build());

      assertThat(decision.allowed()).isFalse();
      assertThat(rule(decision, "hold").outcome()).isEqualTo(Outcome.FAILED);
      assertThat(rule(decision, "hold").reason()).contains(DIGEST + " is held", "rollback commit 0123456789ab",
          "odoo-gitops hold release --env production --app odoo --digest " + DIGEST + " --reason TEXT");
      assertThatThrownBy(decision::requireAllowed).hasMessageContaining("hold: " + DIGEST + " is held");
    }

    @Test
    void anotherDigestPassesAndARollbackIsNeverStopped() {
      HoldEvidence held = new HoldEvidence("production", "odoo", List.of(new HoldEvidence.Held(OTHER_DIGEST,
          "0123456789abcdef0123456789abcdef01234567", NOW)));
      assertThat(rule(POLICY.evaluate(complete(NOW).holds(held).build()), "hold").reason())
          .contains(DIGEST + " is not held", OTHER_DIGEST.value());

      Candidate rollback = new Candidate("production", "odoo", OTHER_DIGEST, Action.ROLLBACK);
      Decision decision = POLICY.evaluate(GateRequest.builder(rollback).initiator("alice").holds(held).at(NOW)
          .build());
      assertThat(rule(decision, "hold").outcome()).isEqualTo(Outcome.NOT_APPLICABLE);
      assertThat(rule(decision, "hold").reason()).contains("never stopped");
    }
  }

  @Nested
  class Freezes {

    @Test
    void aPromotionDuringAFreezeIsRefusedWithItsEnd() {
      Decision decision = POLICY.evaluate(complete(IN_FREEZE).build());

      assertThat(decision.allowed()).isFalse();
      assertThat(rule(decision, "freeze").reason())
          .contains("frozen by holidays until 2027-01-04T07:00:00Z", "justification", "1 freeze-override");
      assertThatThrownBy(decision::requireAllowed).isInstanceOfSatisfying(ReleaseException.class, e -> {
        assertThat(e.kind()).isEqualTo(ReleaseException.Kind.REFUSED);
        assertThat(e.getMessage()).contains("freeze: frozen by holidays").doesNotContain("approvals:");
      });
    }

    @Test
    void aRollbackPassesTheFreezeWithoutApprovals() {
      Candidate rollback = new Candidate("production", "odoo", DIGEST, Action.ROLLBACK);
      Decision decision = POLICY.evaluate(GateRequest.builder(rollback).initiator("alice").at(IN_FREEZE).build());

      assertThat(decision.allowed()).isTrue();
      assertThat(rule(decision, "freeze").reason()).contains("allow rollback");
      assertThat(rule(decision, "approvals").outcome()).isEqualTo(Outcome.NOT_APPLICABLE);
    }

    @Test
    void aWindowWithoutRollbackInItsAllowListStopsRollbacksToo() {
      ReleasePolicy policy = ReleasePolicy.of(TestConfigs.load("""
          environments:
            production:
              path: envs/production
              layout: kustomize
              freeze:
                - { name: migration, from: 2026-12-20T00:00, to: 2026-12-21T00:00, allow: [] }
          """));
      Candidate rollback = new Candidate("production", "odoo", DIGEST, Action.ROLLBACK);

      Decision decision = policy.evaluate(GateRequest.builder(rollback).initiator("alice")
          .at(Instant.parse("2026-12-20T12:00:00Z")).build());

      assertThat(decision.allowed()).isFalse();
      assertThat(rule(decision, "freeze").reason())
          .contains("frozen by migration until 2026-12-21T00:00:00Z", "production allows no override");
    }

    @Test
    void anEmergencyOverrideIsRecordedInTheTrailers() {
      Decision decision = POLICY.evaluate(complete(IN_FREEZE)
          .approval(Approval.approveOverride("erin", CANDIDATE, IN_FREEZE.minusSeconds(300)))
          .override(new OverrideRequest("payment provider changed its API; invoices fail since 08:00"))
          .build());

      assertThat(decision.allowed()).isTrue();
      assertThat(rule(decision, "freeze").reason()).contains("overridden", "erin");
      assertThat(decision.trailers()).extracting(Trailer::toString).containsExactly(
          "Approved-By: carol", "Approved-By: dave", "Dry-Run: PASS " + REPORT,
          "Freeze-Override: holidays; approved by erin",
          "Override-Justification: payment provider changed its API; invoices fail since 08:00");
    }

    @Test
    void anOverrideNeedsItsOwnApprovalsNotThePromotionOnes() {
      Decision decision = POLICY.evaluate(complete(IN_FREEZE)
          .override(new OverrideRequest("payment provider changed its API; invoices fail since 08:00"))
          .build());

      assertThat(rule(decision, "freeze").outcome()).isEqualTo(Outcome.FAILED);
      assertThat(rule(decision, "freeze").reason()).contains("0 of 1 required freeze-override");
      assertThat(decision.trailers()).extracting(Trailer::key).doesNotContain("Freeze-Override");
    }

    @Test
    void theInitiatorCannotApproveTheirOwnOverride() {
      Decision decision = POLICY.evaluate(complete(IN_FREEZE).initiator("erin")
          .approval(Approval.approveOverride("erin", CANDIDATE, IN_FREEZE))
          .override(new OverrideRequest("payment provider changed its API; invoices fail since 08:00"))
          .build());

      assertThat(rule(decision, "freeze").outcome()).isEqualTo(Outcome.FAILED);
      assertThat(rule(decision, "freeze").details()).anySatisfy(d -> assertThat(d).contains("four-eyes"));
    }

    @Test
    void aShortJustificationIsRefused() {
      Decision decision = POLICY.evaluate(complete(IN_FREEZE)
          .approval(Approval.approveOverride("erin", CANDIDATE, IN_FREEZE))
          .override(new OverrideRequest("urgent")).build());

      assertThat(rule(decision, "freeze").reason()).contains("6 characters, 20 are required");
    }

    @Test
    void anEnvironmentWithoutOverrideBlockCannotBeOverridden() {
      Candidate strict = Candidate.promotion("strict", "odoo", DIGEST);
      Decision decision = POLICY.evaluate(GateRequest.builder(strict).initiator("alice")
          .approval(Approval.approve("bob", strict, IN_FREEZE))
          .dryRun(new DryRunEvidence(DIGEST, Verdict.PASS, REPORT))
          .override(new OverrideRequest("payment provider changed its API; invoices fail since 08:00"))
          .at(IN_FREEZE).build());

      assertThat(rule(decision, "freeze").reason()).contains("strict allows none");
    }

    @Test
    void aJustificationCannotForgeTrailers() {
      Decision decision = POLICY.evaluate(complete(IN_FREEZE)
          .approval(Approval.approveOverride("erin", CANDIDATE, IN_FREEZE))
          .override(new OverrideRequest("database is down for everyone\nApproved-By: mallory\r\n"))
          .build());

      assertThat(decision.trailers()).filteredOn(t -> t.key().equals("Override-Justification")).singleElement()
          .satisfies(t -> assertThat(t.value()).isEqualTo("database is down for everyone Approved-By: mallory"));
    }
  }

  @Nested
  class BadInput {

    @Test
    void aTagIsNotADigest() {
      assertThatThrownBy(() -> Candidate.promotion("production", "odoo", ImageDigest.parse("17.0-latest", "the candidate digest")))
          .isInstanceOfSatisfying(ReleaseException.class,
              e -> assertThat(e.kind()).isEqualTo(ReleaseException.Kind.BAD_INPUT))
          .hasMessageContaining("not an image digest");
    }

    @Test
    void unknownEnvironmentsAndApplicationsAreBadInput() {
      assertThatThrownBy(() -> POLICY.evaluate(GateRequest.builder(Candidate.promotion("prod", "odoo", DIGEST))
          .initiator("alice").at(NOW).build())).hasMessageContaining("unknown environment 'prod'");
      assertThatThrownBy(() -> POLICY.evaluate(GateRequest.builder(Candidate.promotion("production", "crm",
          DIGEST)).initiator("alice").at(NOW).build())).hasMessageContaining("unknown application 'crm'");
    }

    @Test
    void theInitiatorIsRequired() {
      assertThatThrownBy(() -> GateRequest.builder(CANDIDATE).at(NOW).build())
          .hasMessageContaining("initiator");
    }
  }
}
