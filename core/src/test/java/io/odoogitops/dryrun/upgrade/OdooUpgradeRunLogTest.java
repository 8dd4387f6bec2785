package io.odoogitops.dryrun.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import io.odoogitops.ImageDigest;
import io.odoogitops.dryrun.clone.PgEndpoint;
import io.odoogitops.dryrun.migrate.MigrationRun;
import io.odoogitops.dryrun.report.DryRunReport;
import io.odoogitops.dryrun.report.JsonReport;
import io.odoogitops.dryrun.verdict.DryRunPolicy;
import io.odoogitops.dryrun.verdict.Judge;
import io.odoogitops.odoo.log.OdooLogReader;
import io.odoogitops.odoo.log.OdooUpgradeLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The parsed log on the run: older constructors keep working, and the JSON report carries it and reads it back. */
class OdooUpgradeRunLogTest {

  private static final ImageDigest DIGEST = new ImageDigest("sha256:" + "e".repeat(64));
  private static final String IMAGE = "registry.example.com/shop/odoo@" + DIGEST;

  @TempDir
  Path dir;

  @Test
  void theOldShapesStillBuildWithNoLogAndNothingToInstall() {
    // no log is not an empty log: the verdict fails a run whose Odoo printed no line, not one nobody read
    OdooUpgradeRun run = new OdooUpgradeRun("SUCCEEDED", true, List.of("sale"), IMAGE, "c", 0, List.of(), 10, null);
    assertThat(run.log()).isNull();
    assertThat(run.measurement()).isNull();
    assertThat(OdooUpgradeRun.skipped(List.of("sale"), IMAGE, "why").log()).isNull();

    OdooUpgradeTarget target = new OdooUpgradeTarget(IMAGE, new PgEndpoint("h", 5432, "d", "u", null), List.of("a"));
    assertThat(target.install()).isEmpty();
  }

  @Test
  void theJsonReportCarriesTheParsedLogAndReadsItBack() throws Exception {
    Instant t0 = Instant.parse("2026-11-23T10:00:00.250Z");
    OdooLogReader reader = new OdooLogReader();
    reader.accept(t0, "2026-11-23 10:00:00,250 7 INFO c odoo.modules.migration: module shop: Running migration"
        + " [>17.0.2.0] pre-migrate");
    reader.accept(t0.plusSeconds(300), "2026-11-23 10:05:00,250 7 INFO c odoo.modules.loading: Module shop loaded"
        + " in 300.12s, 4120 queries (+787966 other)");
    OdooUpgradeLog log = reader.summary();
    OdooUpgradeRun run = new OdooUpgradeRun("SUCCEEDED", true, List.of("shop"), IMAGE, "odoo-upgrade-x", 0,
        List.of(), 301_000, null, log);
    MigrationRun migrations = new MigrationRun(List.of(), 0, null);
    DryRunReport report = new DryRunReport(DryRunReport.SCHEMA_VERSION, "run1", "registry.example.com/shop/odoo:2",
        DIGEST, t0, t0.plusSeconds(400), "prod:5432/odoo", new DryRunReport.CloneInfo("clone", "template", 1, true,
        List.of()), null, null, List.of(), 0, List.of(),
        new Judge(DryRunPolicy.defaults()).judge(DIGEST, migrations, List.of(), List.of(), run), run);

    Path file = Files.write(dir.resolve("dry-run.json"), JsonReport.bytes(report));
    OdooUpgradeRun read = JsonReport.read(file).odooUpgrade();

    assertThat(read).isEqualTo(run);
    assertThat(read.log().modules()).singleElement().satisfies(module -> {
      assertThat(module.duration()).isEqualTo(Duration.ofMillis(300_120));
      assertThat(module.finishedAt()).isEqualTo(t0.plusSeconds(300));
      assertThat(module.scripts()).singleElement().extracting(s -> s.stage() + " " + s.script())
          .isEqualTo("pre pre-migrate");
    });
  }
}
