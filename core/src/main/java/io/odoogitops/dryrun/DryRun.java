package io.odoogitops.dryrun;

import io.odoogitops.ReleaseException;
import io.odoogitops.dryrun.clone.CloneName;
import io.odoogitops.dryrun.clone.PgSessions;
import io.odoogitops.dryrun.clone.StagingClone;
import io.odoogitops.dryrun.lint.LintFinding;
import io.odoogitops.dryrun.lint.MigrationLinter;
import io.odoogitops.dryrun.migrate.MeasuredMigrator;
import io.odoogitops.dryrun.migrate.MigrationMeasurement;
import io.odoogitops.dryrun.migrate.MigrationRun;
import io.odoogitops.dryrun.neutralize.NeutralizationResult;
import io.odoogitops.dryrun.neutralize.Neutralizer;
import io.odoogitops.dryrun.plan.InstalledModule;
import io.odoogitops.dryrun.plan.MigrationScript;
import io.odoogitops.dryrun.plan.ModulePlan;
import io.odoogitops.dryrun.plan.UpgradePlan;
import io.odoogitops.dryrun.plan.UpgradePlanner;
import io.odoogitops.dryrun.report.DryRunReport;
import io.odoogitops.dryrun.upgrade.MeasuredUpgrade;
import io.odoogitops.dryrun.upgrade.OdooUpgradeRun;
import io.odoogitops.dryrun.upgrade.OdooUpgradeTarget;
import io.odoogitops.dryrun.verdict.Judge;
import io.odoogitops.dryrun.verdict.Judgement;
import io.odoogitops.dryrun.verdict.Reason;
import io.odoogitops.policy.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A migration dry-run: sweep stale clones, clone the source (read only), neutralize and prove it, plan the Odoo
 * upgrade, run the SQL migrations measured (if any), run {@code odoo -u} on the clone measured (if a runner is
 * given), lint, judge, and drop the clone whatever happened.
 */
public final class DryRun {

  private final DryRunRequest request;
  private final Consumer<String> progress;

  /** @param progress receives one line per step, for a CLI's stderr or a Jenkins log */
  public DryRun(DryRunRequest request, Consumer<String> progress) {
    this.request = request;
    this.progress = progress;
  }

  public DryRunReport run() {
    Instant started = request.clock().instant();
    if (request.moduleSources() != null) {
      request.moduleSources().requireImage(request.imageDigest());
    }
    List<String> swept = request.strategy().sweep(request.clonePrefix(), request.cloneTtl(), request.clock());
    swept.forEach(name -> progress.accept("swept stale clone " + name));
    CloneName name = new CloneName(request.clonePrefix(), request.runId(), started);
    progress.accept("cloning " + request.source().host() + ":" + request.source().port() + "/"
        + request.source().database() + " with the " + request.strategy().name() + " strategy into " + name);
    NeutralizationResult neutralization;
    UpgradePlan plan;
    MigrationRun run;
    OdooUpgradeRun upgrade = null;
    long cloneTimeMs;
    try (StagingClone clone = request.strategy().create(request.source(), name)) {
      cloneTimeMs = clone.cloneTime().toMillis();
      progress.accept("clone ready in " + cloneTimeMs + " ms; neutralizing");
      try (Connection session = PgSessions.readWrite(clone.endpoint())) {
        neutralization = Neutralizer.release(request.moduleSources(), request.neutralizationScripts())
            .neutralize(session);
        progress.accept("neutralized (" + neutralization.method() + "): " + neutralization.reason());
        plan = request.imageModules().isEmpty() ? null
            : new UpgradePlanner(request.odooSeries()).plan(request.imageModules(), InstalledModule.read(session),
                request.baseModules());
      } catch (SQLException e) {
        throw ReleaseException.infrastructure("lost the session on clone " + name + ": " + e.getMessage(), e);
      }
      if (request.migrations().locations().isEmpty()) {
        progress.accept("no SQL migration location given; no Flyway run");
      } else {
        progress.accept("running migrations from " + String.join(", ", request.migrations().locations()));
      }
      run = new MeasuredMigrator(request.migrations()).migrate(clone.endpoint());
      if (!request.migrations().locations().isEmpty()) {
        progress.accept(run.migrations().size() + " migration(s) in " + run.totalDurationMs() + " ms"
            + (run.failed() ? ", FAILED" : ""));
      }
      if (request.upgradePhase() != null) {
        upgrade = upgrade(clone, plan, run);
      }
      progress.accept("dropping the clone");
    }
    List<LintFinding> lint = lint(run);
    Judgement judgement = new Judge(request.policy()).judge(request.imageDigest(), run, lint, planFindings(plan),
        upgrade, plan);
    progress.accept("verdict " + judgement.verdict() + ", rollback " + judgement.rollbackSafety());
    return new DryRunReport(DryRunReport.SCHEMA_VERSION, request.runId(), request.imageRef(), request.imageDigest(),
        started, request.clock().instant(), request.source().host() + ":" + request.source().port() + "/"
        + request.source().database(),
        new DryRunReport.CloneInfo(name.toString(), request.strategy().name(), cloneTimeMs, true, swept),
        neutralization, plan, run.migrations(), run.totalDurationMs(), lint, judgement, upgrade);
  }

  /**
   * Odoo upgrades what the plan says changed ({@code -u}) and installs what the plan says the release now needs
   * ({@code -i}); without a plan it cannot tell, so it upgrades every installed module. Modules that are only
   * installable are left alone. Whatever runs it, the run is measured from the clone's side.
   */
  private OdooUpgradeRun upgrade(StagingClone clone, UpgradePlan plan, MigrationRun run) {
    List<ModulePlan> upgraded = plan == null ? List.of() : plan.with(ModulePlan.Action.UPGRADE);
    List<String> modules = plan == null ? List.of("all") : upgraded.stream().map(ModulePlan::name).toList();
    List<String> install = plan == null ? List.of() : plan.names(ModulePlan.Action.INSTALL);
    String image = request.pinnedImage();
    if (run.failed()) {
      // The migration failure already fails the run; an upgrade on a half-migrated schema would only add noise.
      progress.accept("skipping odoo -u: the SQL migrations failed");
      return OdooUpgradeRun.skipped(modules, image, "the SQL migrations failed, so the clone is half migrated");
    }
    if (modules.isEmpty() && install.isEmpty()) {
      progress.accept("skipping odoo -u: the upgrade plan has no module to upgrade or install");
      return OdooUpgradeRun.skipped(modules, image, "the upgrade plan has no module to upgrade or install");
    }
    progress.accept("running odoo" + (modules.isEmpty() ? "" : " -u " + String.join(",", modules))
        + (install.isEmpty() ? "" : " -i " + String.join(",", install)) + (image == null ? "" : " from " + image)
        + " on " + clone.name() + ", sampling its locks every " + request.policy().lockSampleInterval().toMillis()
        + " ms");
    Map<String, List<MigrationScript>> announced = new LinkedHashMap<>();
    upgraded.forEach(m -> announced.put(m.name(), m.scripts()));
    OdooUpgradeRun result = new MeasuredUpgrade(request.policy().lockSampleInterval(), progress)
        .run(request.upgradePhase(), new OdooUpgradeTarget(image, clone.endpoint(), modules, install), announced);
    progress.accept("odoo -u " + result.outcome() + " in " + result.durationMs() + " ms"
        + (result.detail() == null ? "" : " (" + result.detail() + ")"));
    return result;
  }

  /** Lints the files Flyway ran (already applied migrations are production history, not this release's risk). */
  private static List<LintFinding> lint(MigrationRun run) {
    MigrationLinter linter = new MigrationLinter();
    List<LintFinding> findings = new ArrayList<>();
    for (MigrationMeasurement m : run.migrations()) {
      if (m.path() != null && m.path().endsWith(".sql") && Files.isRegularFile(Path.of(m.path()))) {
        findings.addAll(linter.lint(Path.of(m.path())));
      }
    }
    return findings;
  }

  /** A dependency Odoo cannot find fails its upgrade: FAIL, whether or not a runner proves it. */
  private static List<Reason> planFindings(UpgradePlan plan) {
    if (plan == null) {
      return List.of();
    }
    List<Reason> reasons = new ArrayList<>();
    for (ModulePlan m : plan.modules()) {
      Verdict level = switch (m.action()) {
        case MISSING_FROM_IMAGE, DOWNGRADE -> Verdict.WARN;
        case MISSING_DEPENDENCY -> Verdict.FAIL;
        default -> null;
      };
      if (level != null) {
        reasons.add(new Reason(level, "odoo-" + m.action().name().toLowerCase().replace('_', '-'),
            "module " + m.name(), m.reason()));
      }
    }
    return reasons;
  }
}
