package io.odoogitops.dryrun.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.odoogitops.ImageDigest;
import io.odoogitops.dryrun.migrate.MigrationRun;
import io.odoogitops.dryrun.upgrade.OdooUpgradeRun;
import io.odoogitops.dryrun.verdict.DryRunPolicy;
import io.odoogitops.dryrun.verdict.Judge;
import io.odoogitops.dryrun.verdict.Judgement;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code odoo -u} phase in the three reports, and report files written before the phase existed. */
class UpgradeReportTest {

  static final ImageDigest DIGEST = new ImageDigest("sha256:" + "0f".repeat(32));
  static final String IMAGE = "registry.example.com/shop/odoo@" + DIGEST;
  static final String CRITICAL = "2026-11-23 10:00:01,002 7 CRITICAL shop_clone odoo.service.server: Failed to"
      + " initialize database `shop_clone`";

  @TempDir
  Path dir;

  static DryRunReport report(OdooUpgradeRun upgrade) {
    MigrationRun run = new MigrationRun(List.of(), 10, null);
    Judgement judgement = new Judge(DryRunPolicy.defaults()).judge(DIGEST, run, List.of(), List.of(), upgrade);
    Instant at = Instant.parse("2026-11-23T10:00:00Z");
    return new DryRunReport(DryRunReport.SCHEMA_VERSION, "run1", "registry.example.com/shop/odoo:1.2", DIGEST, at,
        at.plusSeconds(60), "prod:5432/odoo", new DryRunReport.CloneInfo("odoo_gitops_dryrun_x", "template", 120,
        true, List.of()), null, null, run.migrations(), run.totalDurationMs(), List.of(), judgement, upgrade);
  }

  private static OdooUpgradeRun failed() {
    return new OdooUpgradeRun("FAILED", false, List.of("sale", "shop_custom"), IMAGE, "odoo-upgrade-abc12345", 1,
        List.of(CRITICAL), 4_200, "odoo exited with code 1");
  }

  @Test
  void aFailedUpgradeIsAFailedJUnitTestCase() {
    String xml = JUnitReport.render(report(failed()));
    assertThat(xml).contains("tests=\"1\"", "failures=\"1\"", "skipped=\"0\"")
        .contains("<testcase classname=\"dryrun.odoo\" name=\"odoo -u\" time=\"4.200\">")
        .contains("<failure type=\"FAILED\" message=\"odoo exited with code 1\">")
        .contains("Failed to initialize database `shop_clone`")
        .contains("modules=sale,shop_custom", "image=" + IMAGE, "exitCode=1");
  }

  @Test
  void aSkippedUpgradeIsASkippedJUnitTestCase() {
    String xml = JUnitReport.render(report(OdooUpgradeRun.skipped(List.of(), IMAGE, "nothing to upgrade")));
    assertThat(xml).contains("tests=\"1\"", "failures=\"0\"", "skipped=\"1\"")
        .contains("<skipped message=\"nothing to upgrade\"")
        .doesNotContain("<failure");
  }

  @Test
  void withoutTheUpgradePhaseTheJUnitReportHasOnlyMigrations() {
    assertThat(JUnitReport.render(report(null))).contains("tests=\"0\"").doesNotContain("odoo -u");
  }

  @Test
  void markdownShowsTheOutcomeTheReasonAndTheErrorLines() {
    String md = MarkdownReport.render(report(failed()), "ab".repeat(32));
    assertThat(md).startsWith("# Dry-run: FAIL")
        .contains("| Odoo upgrade | `odoo -u` FAILED in 4200 ms |")
        .contains("- **FAIL** `odoo-upgrade` odoo -u sale,shop_custom: FAILED: odoo exited with code 1")
        .contains("## Odoo upgrade (odoo -u)")
        .contains("- outcome: **FAILED**: odoo exited with code 1")
        .contains("- ran as: odoo-upgrade-abc12345, 4200 ms, exit code 1")
        .contains("```\n" + CRITICAL + "\n```");
    assertThat(MarkdownReport.render(report(null), "ab".repeat(32))).doesNotContain("odoo -u");
  }

  @Test
  void theJsonCarriesTheUpgradeAndReadsBack() throws Exception {
    byte[] bytes = JsonReport.bytes(report(failed()));
    assertThat(new String(bytes, StandardCharsets.UTF_8)).contains("\"odooUpgrade\" : {", "\"outcome\" : \"FAILED\"",
        "\"passed\" : false", "\"exitCode\" : 1");
    Path file = Files.write(dir.resolve("dry-run.json"), bytes);
    DryRunReport read = JsonReport.read(file);
    assertThat(read.odooUpgrade()).isEqualTo(failed());
    assertThat(JsonReport.evidence(file).verdict()).hasToString("FAIL");
  }

  @Test
  void aSchemaVersionOneReportWithoutTheUpgradeStillReads() throws Exception {
    String json = new String(JsonReport.bytes(report(null)), StandardCharsets.UTF_8);
    // As written before the phase existed: no odooUpgrade key at all.
    String older = json.replaceAll(",\\s*\"odooUpgrade\"\\s*:\\s*null", "");
    assertThat(older).doesNotContain("odooUpgrade");
    DryRunReport read = JsonReport.read(Files.writeString(dir.resolve("old.json"), older));
    assertThat(read.odooUpgrade()).isNull();
    assertThat(read.judgement().verdict()).hasToString("PASS");
  }
}
