package io.odoogitops.jenkins.dryrun;

import hudson.model.TaskListener;
import hudson.remoting.VirtualChannel;
import io.odoogitops.ReleaseException;
import io.odoogitops.dryrun.DryRun;
import io.odoogitops.dryrun.DryRunRequest;
import io.odoogitops.dryrun.clone.CloneStrategy;
import io.odoogitops.dryrun.clone.DumpCloneStrategy;
import io.odoogitops.dryrun.clone.DumpRestore;
import io.odoogitops.dryrun.clone.EmbeddedCloneStrategy;
import io.odoogitops.dryrun.clone.PgEndpoint;
import io.odoogitops.dryrun.clone.StagingServer;
import io.odoogitops.dryrun.clone.TemplateCloneStrategy;
import io.odoogitops.dryrun.migrate.MigrationMeasurement;
import io.odoogitops.dryrun.migrate.MigrationSettings;
import io.odoogitops.dryrun.report.DryRunReport;
import io.odoogitops.dryrun.report.ReportFiles;
import io.odoogitops.dryrun.verdict.DryRunPolicy;
import io.odoogitops.dryrun.verdict.Reason;
import io.odoogitops.jenkins.gitops.LogMasker;
import io.odoogitops.jenkins.gitops.Refusals;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Serial;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import jenkins.MasterToSlaveFileCallable;

/** Runs on the agent, in the workspace: the core's {@link DryRun}, then its reports into the report directory. */
final class DryRunCallable extends MasterToSlaveFileCallable<Map<String, Object>> {

  @Serial
  private static final long serialVersionUID = 1L;

  /** How long a run waits for another run's lock on the same staging server before giving up. */
  private static final Duration STAGING_LOCK_WAIT = Duration.ofMinutes(10);

  private final DryRunSettings settings;
  private final TaskListener listener;

  DryRunCallable(DryRunSettings settings, TaskListener listener) {
    this.settings = settings;
    this.listener = listener;
  }

  @Override
  public Map<String, Object> invoke(File workspace, VirtualChannel channel) throws IOException {
    LogMasker masker = new LogMasker(List.of(settings.password()));
    PrintStream log = listener.getLogger();
    Path root = workspace.toPath();
    try {
      PgEndpoint source = PgEndpoint.parse(settings.sourceUrl(), settings.user(), settings.password());
      DryRunRequest request = DryRunRequest.builder()
          .source(source)
          .strategy(strategy(source))
          .image(settings.image(), settings.digest())
          .migrations(MigrationSettings.of(settings.migrations().stream().map(m -> location(root, m)).toList()))
          .policy(policy())
          .build();
      DryRunReport report = new DryRun(request, line -> log.println(masker.mask("dry-run: " + line))).run();
      ReportFiles files = ReportFiles.write(report, root.resolve(settings.reportDir()));
      return summary(report, files, root);
    } catch (ReleaseException e) {
      throw Refusals.abort(e, masker);
    }
  }

  private CloneStrategy strategy(PgEndpoint source) {
    Path work = Path.of(System.getProperty("java.io.tmpdir"), "odoo-gitops-dryrun");
    DumpRestore dumpRestore = new DumpRestore(Optional.empty(), 2, work.resolve("dumps"));
    if (settings.strategy().equals("embedded")) {
      return new EmbeddedCloneStrategy(work.resolve("clones"), dumpRestore);
    }
    StagingServer staging = new StagingServer(source.withDatabase(settings.stagingAdminDatabase()),
        STAGING_LOCK_WAIT);
    return settings.strategy().equals("dump") ? new DumpCloneStrategy(staging, dumpRestore)
        : new TemplateCloneStrategy(staging);
  }

  private DryRunPolicy policy() {
    DryRunPolicy.Builder policy = DryRunPolicy.builder().requireRollbackSafe(settings.requireRollbackSafe());
    if (settings.maxDuration() != null) {
      policy.maxTotalDuration(settings.maxDuration());
    }
    if (settings.maxAccessExclusive() != null) {
      policy.maxAccessExclusive(settings.maxAccessExclusive());
    }
    settings.forbid().forEach(policy::forbid);
    return policy.build();
  }

  /** A workspace directory becomes a Flyway filesystem location; anything with a scheme goes to Flyway as is. */
  private static String location(Path root, String value) {
    return value.matches("^[a-z]+:.+") ? value : "filesystem:" + root.resolve(value).normalize();
  }

  /** What the step returns and the build page shows: plain values, paths relative to the workspace. */
  private static Map<String, Object> summary(DryRunReport report, ReportFiles files, Path root) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("verdict", report.judgement().verdict().name());
    map.put("rollbackSafety", report.judgement().rollbackSafety().name());
    map.put("imageDigest", report.imageDigest());
    map.put("report", relative(root, files.json()));
    map.put("reportSha256", "sha256:" + files.sha256());
    map.put("reportSha256File", relative(root, files.json().resolveSibling(ReportFiles.JSON + ".sha256")));
    map.put("markdown", relative(root, files.markdown()));
    map.put("junit", relative(root, files.junit()));
    List<String> reasons = new ArrayList<>();
    for (Reason reason : report.judgement().reasons()) {
      reasons.add(reason.level() + " " + reason.rule() + " " + reason.subject() + ": " + reason.message());
    }
    map.put("reasons", reasons);
    List<Map<String, Object>> migrations = new ArrayList<>();
    for (MigrationMeasurement m : report.migrations()) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("migration", m.label());
      row.put("status", m.status().name());
      row.put("durationMs", m.durationMs());
      row.put("accessExclusiveMs", m.accessExclusiveMs());
      row.put("accessExclusiveTables", m.accessExclusiveTables());
      row.put("rewrittenTables", m.rewrittenTables());
      migrations.add(row);
    }
    map.put("migrations", migrations);
    map.put("totalMigrationMs", report.totalMigrationMs());
    return map;
  }

  private static String relative(Path root, Path file) {
    return root.relativize(file.toAbsolutePath().normalize()).toString().replace(File.separatorChar, '/');
  }
}
