package io.odoogitops.dryrun.verdict;

import io.odoogitops.ImageDigest;
import io.odoogitops.policy.Verdict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.odoogitops.ReleaseException;
import io.odoogitops.dryrun.lint.MigrationLinter;
import io.odoogitops.dryrun.migrate.HeldLock;
import io.odoogitops.dryrun.migrate.MigrationMeasurement;
import io.odoogitops.dryrun.migrate.MigrationRun;
import io.odoogitops.dryrun.migrate.SchemaChange;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JudgeTest {

  static final ImageDigest DIGEST = new ImageDigest("sha256:" + "0f".repeat(32));

  private static MigrationMeasurement measured(String version, long ms, List<String> exclusive, long rows,
      List<SchemaChange> changes) {
    return new MigrationMeasurement(version, "step " + version, "V" + version + "__step.sql", null, true,
        MigrationMeasurement.Status.SUCCESS, ms,
        exclusive.stream().map(t -> new HeldLock(t, "table", HeldLock.ACCESS_EXCLUSIVE)).toList(),
        exclusive.isEmpty() ? 0 : ms, exclusive, List.of(), changes,
        exclusive.isEmpty() ? Map.of() : Map.of(exclusive.get(0), rows), null);
  }

  private static SchemaChange column(SchemaChange.Kind kind, String before, String after) {
    return new SchemaChange(kind, SchemaChange.ObjectType.COLUMN, "res_partner", "ref", before, after);
  }

  private final Judge judge = new Judge(DryRunPolicy.defaults());

  @Test
  void passesWhatStaysUnderEveryThreshold() {
    MigrationRun run = new MigrationRun(List.of(measured("1", 20, List.of("res_partner"), 500,
        List.of(column(SchemaChange.Kind.ADDED, null, "character varying")))), 25, null);
    Judgement judgement = judge.judge(DIGEST, run, List.of(), List.of());
    assertThat(judgement.verdict()).isEqualTo(Verdict.PASS);
    assertThat(judgement.rollbackSafety()).isEqualTo(RollbackSafety.PREVIOUS_IMAGE_COMPATIBLE);
    assertThat(judgement.imageDigest()).isEqualTo(DIGEST);
  }

  @Test
  void accessExclusiveCountsOnlyOnLargeTables() {
    MigrationRun smallTable = new MigrationRun(List.of(measured("1", 9_000, List.of("res_partner"), 500,
        List.of())), 9_000, null);
    assertThat(judge.judge(DIGEST, smallTable, List.of(), List.of()).verdict()).isEqualTo(Verdict.PASS);
    MigrationRun bigTable = new MigrationRun(List.of(measured("1", 9_000, List.of("account_move_line"), 2_000_000,
        List.of())), 9_000, null);
    Judgement judgement = judge.judge(DIGEST, bigTable, List.of(), List.of());
    assertThat(judgement.verdict()).isEqualTo(Verdict.FAIL);
    assertThat(judgement.reasons()).singleElement().satisfies(r -> {
      assertThat(r.rule()).isEqualTo("max-access-exclusive");
      assertThat(r.message()).contains("account_move_line (2000000 rows)", "9.0 s", "limit 5.0 s");
    });
  }

  @Test
  void totalDurationForbiddenRulesAndLintSeveritiesWeighIn() {
    DryRunPolicy policy = DryRunPolicy.builder().maxTotalDuration(Duration.ofSeconds(1)).forbid("drop-table")
        .build();
    var findings = new MigrationLinter().lint("V1__x.sql", "SET lock_timeout = 1; SET statement_timeout = 1;"
        + " DROP TABLE legacy; CREATE INDEX i ON t (c);");
    Judgement judgement = new Judge(policy).judge(DIGEST, new MigrationRun(List.of(), 2_000, null), findings,
        List.of());
    assertThat(judgement.reasons()).extracting(Reason::level, Reason::rule).containsExactly(
        org.assertj.core.groups.Tuple.tuple(Verdict.FAIL, "max-total-duration"),
        org.assertj.core.groups.Tuple.tuple(Verdict.FAIL, "drop-table"),
        org.assertj.core.groups.Tuple.tuple(Verdict.WARN, "index-not-concurrent"));
    assertThat(judgement.verdict()).isEqualTo(Verdict.FAIL);
  }

  @Test
  void rollbackSafetyFollowsWhatThePreviousImageCanStillUse() {
    assertThat(Judge.compatibleColumnChange("integer NOT NULL", "bigint NOT NULL")).isTrue();
    assertThat(Judge.compatibleColumnChange("character varying(64)", "character varying(128)")).isTrue();
    assertThat(Judge.compatibleColumnChange("character varying(64)", "text")).isTrue();
    assertThat(Judge.compatibleColumnChange("character varying(128)", "character varying(64)")).isFalse();
    assertThat(Judge.compatibleColumnChange("bigint", "integer")).isFalse();
    assertThat(Judge.compatibleColumnChange("integer", "integer NOT NULL")).isFalse();
    assertThat(Judge.compatibleColumnChange("integer", "integer NOT NULL DEFAULT 0")).isTrue();

    MigrationRun drop = new MigrationRun(List.of(measured("2", 10, List.of(), 0,
        List.of(column(SchemaChange.Kind.DROPPED, "character varying", null)))), 10, null);
    Judgement judgement = judge.judge(DIGEST, drop, List.of(), List.of());
    assertThat(judgement.rollbackSafety()).isEqualTo(RollbackSafety.RESTORE_REQUIRED);
    assertThat(judgement.verdict()).isEqualTo(Verdict.WARN);
    assertThat(new Judge(DryRunPolicy.builder().requireRollbackSafe(true).build())
        .judge(DIGEST, drop, List.of(), List.of()).verdict()).isEqualTo(Verdict.FAIL);
  }

  @Test
  void aFailedMigrationFailsWithTheDatabaseMessage() {
    MigrationMeasurement failed = new MigrationMeasurement("3", "breaks", "V3__breaks.sql", null, true,
        MigrationMeasurement.Status.FAILED, 5, List.of(), 0, List.of(), List.of(), List.of(), Map.of(),
        "Migration V3__breaks.sql failed\n-----\nSQL State  : 22012\nMessage    : ERROR: division by zero\n"
            + "Location   : /m/V3__breaks.sql\nLine       : 2\n");
    Judgement judgement = judge.judge(DIGEST, new MigrationRun(List.of(failed), 5, "failed"), List.of(), List.of());
    assertThat(judgement.verdict()).isEqualTo(Verdict.FAIL);
    assertThat(judgement.reasons().get(0).message())
        .isEqualTo("failed on the clone: Message: ERROR: division by zero; Location: /m/V3__breaks.sql; Line: 2");
  }

  @Test
  void aVerdictIsBoundToADigestNeverATag() {
    assertThatThrownBy(() -> judge.judge(null, new MigrationRun(List.of(), 0, null), List.of(), List.of()))
        .isInstanceOf(ReleaseException.class).hasMessageContaining("never to a tag");
    assertThatThrownBy(() -> DryRunPolicy.builder().forbid("no-such-rule").build())
        .isInstanceOf(ReleaseException.class).hasMessageContaining("unknown lint rule 'no-such-rule'");
  }
}
