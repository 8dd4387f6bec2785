package io.odoogitops.dryrun.verdict;

import static org.assertj.core.api.Assertions.assertThat;

import io.odoogitops.ImageDigest;
import io.odoogitops.dryrun.migrate.MigrationRun;
import io.odoogitops.dryrun.upgrade.OdooUpgradeRun;
import io.odoogitops.policy.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the outcome of {@code odoo -u} on the clone weighs in the verdict. */
class JudgeUpgradeTest {

  static final ImageDigest DIGEST = new ImageDigest("sha256:" + "0f".repeat(32));
  static final String IMAGE = "registry.example.com/shop/odoo@" + DIGEST;

  private final Judge judge = new Judge(DryRunPolicy.defaults());
  private final MigrationRun cleanRun = new MigrationRun(List.of(), 10, null);

  static OdooUpgradeRun upgrade(String outcome, boolean passed, Integer exitCode, List<String> errors,
      String detail) {
    return new OdooUpgradeRun(outcome, passed, List.of("sale", "shop_custom"), IMAGE, "odoo-upgrade-abc12345",
        exitCode, errors, 4_200, detail);
  }

  @Test
  void aSuccessfulUpgradeAddsNoReason() {
    Judgement judgement = judge.judge(DIGEST, cleanRun, List.of(), List.of(),
        upgrade("SUCCEEDED", true, 0, List.of(), null));
    assertThat(judgement.verdict()).isEqualTo(Verdict.PASS);
    assertThat(judgement.reasons()).isEmpty();
  }

  @Test
  void aFailedUpgradeFailsTheRunNamingTheModulesAndWhy() {
    Judgement judgement = judge.judge(DIGEST, cleanRun, List.of(), List.of(),
        upgrade("FAILED", false, 1, List.of("2026-11-23 10:00:01,002 7 CRITICAL shop_clone odoo.service.server:"
            + " Failed to initialize database"), "odoo exited with code 1; job failed: BackoffLimitExceeded"));
    assertThat(judgement.verdict()).isEqualTo(Verdict.FAIL);
    assertThat(judgement.reasons()).singleElement().satisfies(r -> {
      assertThat(r.level()).isEqualTo(Verdict.FAIL);
      assertThat(r.rule()).isEqualTo(Judge.UPGRADE_RULE).isEqualTo("odoo-upgrade");
      assertThat(r.subject()).isEqualTo("odoo -u sale,shop_custom");
      assertThat(r.message()).startsWith("FAILED: odoo exited with code 1")
          .contains("first error: 2026-11-23 10:00:01,002 7 CRITICAL");
    });
  }

  @Test
  void errorLinesAlreadyQuotedInTheDetailAreNotRepeated() {
    String line = "2026-11-23 10:00:04,000 7 ERROR shop_clone odoo.modules.migration: migration failed";
    Judgement judgement = judge.judge(DIGEST, cleanRun, List.of(), List.of(), upgrade("LOG_ERRORS", false, 0,
        List.of(line), "odoo exited 0 but logged 1 ERROR/CRITICAL line(s); first: " + line));
    assertThat(judgement.reasons()).singleElement()
        .satisfies(r -> assertThat(r.message()).startsWith("LOG_ERRORS: ").doesNotContain("first error"));
  }

  @Test
  void aTimeoutFailsTheRunEvenWhenThePolicyIsLenient() {
    DryRunPolicy lenient = DryRunPolicy.builder().requireRollbackSafe(false).build();
    Judgement judgement = new Judge(lenient).judge(DIGEST, cleanRun, List.of(), List.of(),
        upgrade("TIMED_OUT", false, null, List.of(), "the upgrade did not finish within PT30M"));
    assertThat(judgement.verdict()).isEqualTo(Verdict.FAIL);
    assertThat(judgement.reasons()).extracting(Reason::message)
        .containsExactly("TIMED_OUT: the upgrade did not finish within PT30M");
  }

  @Test
  void aSkippedUpgradeBlocksNothing() {
    Judgement judgement = judge.judge(DIGEST, cleanRun, List.of(), List.of(),
        OdooUpgradeRun.skipped(List.of(), IMAGE, "the upgrade plan has no module to upgrade"));
    assertThat(judgement.verdict()).isEqualTo(Verdict.PASS);
  }
}
