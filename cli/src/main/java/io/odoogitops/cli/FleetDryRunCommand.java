package io.odoogitops.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.odoogitops.ImageDigest;
import io.odoogitops.ImageRef;
import io.odoogitops.cluster.UpgradeJobPhase;
import io.odoogitops.config.ClusterSpec;
import io.odoogitops.config.EnvironmentSpec;
import io.odoogitops.config.ReleaseConfig;
import io.odoogitops.dryrun.setup.DryRunSetup;
import io.odoogitops.fleet.FleetDryRun;
import io.odoogitops.fleet.FleetDryRunResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code fleet dry-run}: the dry-run of every tenant that has a database of its own, a few at a time. */
@Command(name = "dry-run", sortOptions = false,
    description = {"Runs the dry-run for every tenant of the fleet whose environment names its own database"
        + " (environments.<tenant>.dryRun.source), at most --parallel at a time, each on its own clone.",
        "Writes DIR/<tenant>/dry-run.json (+ .sha256, .sig when signing), dry-run.md and dry-run-junit.xml: the"
            + " evidence each tenant's gate and 'fleet promote --dry-run-reports DIR' read.",
        "Exit 0 when every tenant passed (WARN too, unless --warn-exit-code), 1 when any FAILed, 2 bad input,"
            + " 3 infrastructure failure (also when a tenant's dry-run could not run)."})
public final class FleetDryRunCommand implements Callable<Integer> {

  private final Map<String, String> environment;

  @Spec CommandSpec spec;
  @Mixin PolicyConfigOption config;
  @Mixin OutputOptions output;

  @Option(names = "--fleet", required = true, paramLabel = "FLEET", description = "Fleet (see 'fleets').")
  String fleet;

  @Option(names = "--image", required = true, paramLabel = "REF@sha256:HEX", converter = ImageConverters.Pinned.class,
      description = "Image every tenant's verdict is bound to.")
  ImageRef image;

  @Option(names = "--report-dir", required = true, paramLabel = "DIR",
      description = "Each tenant's reports go to DIR/<tenant>/.")
  Path reportDir;

  @Option(names = "--parallel", paramLabel = "N", defaultValue = "2",
      description = "Dry-runs at the same time, 1 to " + FleetDryRun.MAX_PARALLEL + " (default: ${DEFAULT-VALUE}).")
  int parallel;

  @Option(names = "--staging-database", paramLabel = "NAME", defaultValue = "postgres",
      description = "For --strategy template or dump: the maintenance database on each tenant's own server, where"
          + " its clones are made (default: ${DEFAULT-VALUE}).")
  String stagingDatabase;

  /** Every tenant's options: how to clone, what to run, thresholds, runner, signing key. */
  @Mixin DryRunOptions options;

  /** The Kubernetes Job runner, one Job per tenant; its defaults from each tenant's cluster.upgradeJob block. */
  @Mixin UpgradeJobFlags upgradeJob;

  FleetDryRunCommand(Map<String, String> environment) {
    this.environment = environment;
  }

  @Override
  public Integer call() {
    ImageRef ref = image;
    upgradeJob.requireConsistent(!options.strategy.equals(DryRunSetup.Strategy.EMBEDDED.id()), ref.pinned(), false,
        "--upgrade-job-*");
    ReleaseConfig loaded = config.load();
    PrintWriter err = spec.commandLine().getErr();
    FleetDryRunResult result;
    // a client is only a configuration until used: opening it contacts nothing, so bad input still comes first
    try (KubernetesClient client = upgradeJob.enabled ? upgradeJob.cluster.connection().open() : null) {
      FleetDryRun.Builder builder = FleetDryRun.builder()
          .fleet(loaded, fleet)
          .image(ref.pinned(), ref.digest())
          .reportDir(reportDir)
          .parallel(parallel)
          .variables(environment)
          .tenantOptions(setup -> options.applyTo(setup).stagingAdminDatabase(stagingDatabase));
      if (client != null) {
        // one client for every Job (it is thread-safe); each tenant's Job named after it, its log lines prefixed
        builder.upgradePhases(tenant -> new UpgradeJobPhase(client, UpgradeJobFlags.progress(err, "fleet dry-run: " + tenant + ": "),
            upgradeJob.settings(tenantBlock(loaded, tenant), "give tenant '" + tenant + "' a cluster.upgradeJob"
                + " block in odoo-gitops.yaml"), tenant));
      }
      FleetDryRun run = builder.build();
      result = run.run(line -> {
        synchronized (err) {
          err.println("fleet dry-run: " + line);
          err.flush();
        }
      });
    }
    output.print(spec.commandLine().getOut(), result, text(result));
    return result.exitCode();
  }

  private static ClusterSpec.UpgradeJob tenantBlock(ReleaseConfig config, String tenant) {
    EnvironmentSpec env = config.environment(tenant);
    return env.cluster() == null ? null : env.cluster().upgradeJob();
  }

  static String text(FleetDryRunResult result) {
    StringBuilder t = new StringBuilder();
    t.append("fleet ").append(result.fleet()).append(" dry-run: ").append(result.application()).append('@')
        .append(ImageDigest.shortForm(result.digest())).append(" - ")
        .append(result.counts().entrySet().stream().map(e -> e.getValue() + " " + e.getKey())
            .collect(Collectors.joining(", ")))
        .append(" (at most ").append(result.parallel()).append(" at a time)\n\n");
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"TENANT", "WAVE", "VERDICT", "ROLLBACK", "DURATION", "REPORT"});
    for (FleetDryRunResult.TenantResult tenant : result.tenants()) {
      boolean judged = tenant.status() == FleetDryRunResult.Status.JUDGED;
      rows.add(new String[] {tenant.tenant(), tenant.wave(),
          judged ? tenant.verdict() : tenant.status().label(),
          judged ? tenant.rollbackSafety().toLowerCase(Locale.ROOT).replace('_', ' ') : "-",
          tenant.status() == FleetDryRunResult.Status.SKIPPED ? "-" : seconds(tenant.durationMs()),
          judged ? tenant.report() : String.join("; ", tenant.reason())});
    }
    FleetCommand.table(t, rows);
    for (FleetDryRunResult.TenantResult tenant : result.tenants()) {
      if (tenant.status() == FleetDryRunResult.Status.JUDGED && !"PASS".equals(tenant.verdict())) {
        tenant.reason().forEach(r -> t.append("  ").append(tenant.tenant()).append(": ").append(r).append('\n'));
      }
    }
    t.append("exit ").append(result.exitCode());
    return t.toString();
  }

  private static String seconds(long ms) {
    return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
  }
}
