package io.odoogitops.policy;

import static io.odoogitops.policy.TestConfigs.DIGEST;
import static io.odoogitops.policy.TestConfigs.OTHER_DIGEST;
import static org.assertj.core.api.Assertions.assertThat;

import io.odoogitops.ImageDigest;
import io.odoogitops.restore.RestorePoint;
import io.odoogitops.restore.RestorePointKind;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The gate's restore point rule: when an environment asks for a point, and which point protects a promotion. */
class RestorePointGateTest {

  private static final Instant DRY_RUN_FINISHED = Instant.parse("2026-11-18T08:00:00Z");
  private static final Instant NOW = Instant.parse("2026-11-18T10:00:00Z");
  private static final String REPORT = "sha256:" + "c".repeat(64);

  private static final ReleasePolicy POLICY = ReleasePolicy.of(TestConfigs.load("""
      environments:
        production:
          path: envs/production
          layout: kustomize
          restorePoint: whenRestoreRequired
          restore: { dump: { location: /srv/points, database: { url: "jdbc:postgresql://db:5432/odoo", user: b } } }
        regulated:
          path: envs/regulated
          layout: kustomize
          restorePoint: required
          restore: { dump: { location: /srv/points, database: { url: "jdbc:postgresql://db:5432/odoo", user: b } } }
        staging: { path: envs/staging, layout: kustomize }
      """));

  private static DryRunEvidence dryRun(boolean restoreRequired) {
    return new DryRunEvidence(DIGEST, Verdict.WARN, REPORT, null, restoreRequired, DRY_RUN_FINISHED);
  }

  static RestorePoint point(String environment, ImageDigest digest, Instant takenAt) {
    String id = environment + "-odoo-" + digest.value().substring(7, 19) + "-20261118T090000Z";
    return new RestorePoint(1, RestorePointKind.DUMP, id, takenAt, environment, "odoo", digest, "/srv/points/" + id,
        null, new RestorePoint.DumpDirectory("/srv/points/" + id, "b@db:5432/odoo", "odoo", 2, 16, "16.4", 120, 40,
            1 << 20), null);
  }

  private static Decision decide(String environment, DryRunEvidence dryRun, RestorePoint point) {
    GateRequest.Builder request = GateRequest.builder(Candidate.promotion(environment, "odoo", DIGEST))
        .initiator("alice").at(NOW).restorePoint(point);
    if (dryRun != null) {
      request.dryRun(dryRun);
    }
    return POLICY.evaluate(request.build());
  }

  private static RuleResult rule(Decision decision) {
    return decision.rules().stream().filter(r -> r.rule().equals("restore-point")).findFirst().orElseThrow();
  }

  @Test
  void restoreRequiredReleaseWithoutAPointIsRefusedSayingHowToTakeOne() {
    Decision decision = decide("production", dryRun(true), null);

    assertThat(decision.allowed()).isFalse();
    assertThat(rule(decision).outcome()).isEqualTo(Outcome.FAILED);
    assertThat(rule(decision).reason()).contains("no restore point").contains("the dry-run said RESTORE_REQUIRED")
        .contains("odoo-gitops restore-point take --env production --app odoo --digest " + DIGEST)
        .contains("--restore-point");
    assertThat(decision.trailers()).contains(new Trailer("Rollback-Safety", "restore-required"));
  }

  @Test
  void aPointTakenBeforeTheDryRunFinishedIsStale() {
    Decision decision = decide("production", dryRun(true), point("production", DIGEST,
        DRY_RUN_FINISHED.minusSeconds(60)));

    assertThat(rule(decision).outcome()).isEqualTo(Outcome.FAILED);
    assertThat(rule(decision).reason()).contains("before the last dry-run").contains("take a fresh one");
    assertThat(decision.trailers()).extracting(Trailer::key).doesNotContain("Restore-Point");
  }

  @Test
  void aPointOfAnotherDigestOrEnvironmentDoesNotProtectThisRelease() {
    Decision otherDigest = decide("production", dryRun(true), point("production", OTHER_DIGEST, NOW));
    assertThat(rule(otherDigest).outcome()).isEqualTo(Outcome.FAILED);
    assertThat(rule(otherDigest).reason()).contains("is bound to sha256:bbbbbbbbbbbb");

    Decision otherEnvironment = decide("production", dryRun(true), point("regulated", DIGEST, NOW));
    assertThat(rule(otherEnvironment).outcome()).isEqualTo(Outcome.FAILED);
    assertThat(rule(otherEnvironment).reason()).contains("was taken for odoo in regulated");
  }

  @Test
  void aFreshPointPassesAndIsRecordedAfterTheDryRunTrailer() {
    RestorePoint point = point("production", DIGEST, DRY_RUN_FINISHED.plusSeconds(600));
    Decision decision = decide("production", dryRun(true), point);

    assertThat(decision.allowed()).isTrue();
    assertThat(rule(decision).outcome()).isEqualTo(Outcome.PASSED);
    assertThat(decision.trailers()).extracting(Trailer::key)
        .containsSubsequence("Dry-Run", "Rollback-Safety", "Restore-Point");
    assertThat(decision.trailers()).contains(new Trailer("Restore-Point", point.ref().trailerValue()));
  }

  @Test
  void aDryRunOfUnknownFinishTimeLetsNoPointThroughUnchecked() {
    DryRunEvidence unknownTime = new DryRunEvidence(DIGEST, Verdict.WARN, REPORT, null, true, null);
    Decision decision = decide("production", unknownTime, point("production", DIGEST, NOW));

    assertThat(decision.allowed()).isFalse();
    assertThat(rule(decision).outcome()).isEqualTo(Outcome.FAILED);
    assertThat(rule(decision).reason()).contains("does not say when the dry-run finished")
        .contains("requires a point taken after the last dry-run (restorePoint: whenRestoreRequired)")
        .contains("run the dry-run again");
    assertThat(decision.trailers()).extracting(Trailer::key).doesNotContain("Restore-Point");
    assertThat(rule(decide("regulated", new DryRunEvidence(DIGEST, Verdict.WARN, REPORT, null, false, null),
        point("regulated", DIGEST, NOW))).outcome()).isEqualTo(Outcome.FAILED);
    assertThat(rule(decide("production", new DryRunEvidence(DIGEST, Verdict.WARN, REPORT, null, false, null),
        null)).outcome()).as("a safe release needs no point, whatever the time").isEqualTo(Outcome.NOT_APPLICABLE);
  }

  @Test
  void whenRestoreRequiredAsksNothingOfASafeRelease() {
    Decision decision = decide("production", dryRun(false), null);

    assertThat(decision.allowed()).isTrue();
    assertThat(rule(decision).outcome()).isEqualTo(Outcome.NOT_APPLICABLE);
    assertThat(decision.trailers()).extracting(Trailer::key).doesNotContain("Rollback-Safety");
  }

  @Test
  void whenRestoreRequiredWithoutADryRunReportCannotKnowAndRefuses() {
    Decision decision = decide("production", null, null);

    assertThat(rule(decision).outcome()).isEqualTo(Outcome.FAILED);
    assertThat(rule(decision).reason()).contains("no dry-run report of " + DIGEST).contains("--dry-run-report");
    Decision withPoint = decide("production", null, point("production", DIGEST, NOW));
    assertThat(withPoint.allowed()).isTrue();
    assertThat(rule(withPoint).outcome()).isEqualTo(Outcome.PASSED);
    assertThat(rule(withPoint).reason()).contains("no dry-run report said whether one was needed");
  }

  @Test
  void requiredAsksForAPointBeforeEveryPromotion() {
    assertThat(rule(decide("regulated", dryRun(false), null)).outcome()).isEqualTo(Outcome.FAILED);
    assertThat(decide("regulated", dryRun(false), point("regulated", DIGEST, NOW)).allowed()).isTrue();
  }

  @Test
  void offRecordsAGivenPointButNeedsNone() {
    Decision none = decide("staging", dryRun(true), null);
    assertThat(none.allowed()).isTrue();
    assertThat(rule(none).outcome()).isEqualTo(Outcome.NOT_APPLICABLE);

    Decision given = decide("staging", dryRun(true), point("staging", DIGEST, NOW));
    assertThat(given.trailers()).extracting(Trailer::key).contains("Restore-Point");
  }

  @Test
  void aRollbackIsNotHeldToTheRule() {
    Decision decision = POLICY.evaluate(GateRequest.builder(new Candidate("production", "odoo", DIGEST,
        Action.ROLLBACK)).initiator("oncall").at(NOW).build());

    assertThat(rule(decision).outcome()).isEqualTo(Outcome.NOT_APPLICABLE);
    assertThat(decision.allowed()).isTrue();
  }
}
