package io.odoogitops.cli;

import io.odoogitops.ImageDigest;
import io.odoogitops.fleet.FleetHistory;
import io.odoogitops.fleet.FleetRestorePointResult;
import io.odoogitops.fleet.FleetRestorePoints;
import io.odoogitops.fleet.FleetRollout;
import io.odoogitops.gitops.GateCheck;
import io.odoogitops.gitops.GitOpsRepository;
import io.odoogitops.gitops.PromotionEngine;
import io.odoogitops.restore.backup.RestorePoints;
import io.odoogitops.signing.SshSigner;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code odoo-gitops fleet restore-point take}: the restore points the current wave of a rollout needs. */
@Command(name = "restore-point", description = "Restore points for the tenants of a fleet rollout.",
    subcommands = {FleetRestorePointCommand.Take.class})
public final class FleetRestorePointCommand implements Runnable {

  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "name a subcommand: take");
  }

  /** {@code fleet restore-point take}. */
  @Command(name = "take", sortOptions = false, description = {
      "Takes a restore point, as 'restore-point take' does, for every tenant of the rollout's current wave whose"
          + " gate needs one (restorePoint: required, or whenRestoreRequired and its dry-run says RESTORE_REQUIRED"
          + " or no report says), at most --parallel at a time.",
      "Writes DIR/<tenant>/restore-point.json (+ .sig with --signing-key): what 'fleet promote --restore-points DIR'"
          + " reads. Exit 0 when every needed point was taken, else the worst tenant's: 1 refused, 2 bad input,"
          + " 3 the backup or dump failed."})
  static final class Take implements Callable<Integer> {

    private final Map<String, String> environment;

    @Spec CommandSpec spec;
    @Mixin RepositoryOptions repository;
    @Mixin OutputOptions output;

    @Option(names = "--fleet", required = true, paramLabel = "FLEET", description = "Fleet (see 'fleets').")
    String fleet;

    @Option(names = "--digest", required = true, paramLabel = "sha256:HEX", converter = ImageConverters.Digest.class,
        description = "The digest of the release the points protect against.")
    ImageDigest digest;

    @Option(names = "--out", required = true, paramLabel = "DIR",
        description = "Each tenant's evidence goes to DIR/<tenant>/restore-point.json.")
    Path out;

    @Option(names = "--dry-run-reports", paramLabel = "DIR",
        description = "Per-tenant dry-run evidence, DIR/<tenant>/dry-run.json as 'fleet dry-run' writes it: whether"
            + " a whenRestoreRequired tenant needs a point.")
    Path dryRunReports;

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "2",
        description = "Points at a time, 1 to " + FleetRestorePoints.MAX_PARALLEL + " (default: ${DEFAULT-VALUE}).")
    int parallel;

    @Option(names = "--pg-bin-dir", paramLabel = "DIR",
        description = "Bin directory of the PostgreSQL client for dumps (default: the newest fitting one found).")
    Path pgBinDir;

    @Option(names = "--history-limit", paramLabel = "N", defaultValue = "" + FleetHistory.DEFAULT_LIMIT,
        description = "Read at most N history entries per tenant (default: ${DEFAULT-VALUE}).")
    int historyLimit;

    @Mixin ClusterConnectionOptions connection;
    @Mixin SigningOptions signing;

    Take() {
      this(System.getenv());
    }

    /** The dumps' password variables are looked up in {@code environment}, the run's, given by {@link Main}. */
    Take(Map<String, String> environment) {
      this.environment = environment;
    }

    @Override
    public Integer call() {
      // The key is opened before any backup runs: a wrong passphrase must not cost a night of backups.
      Optional<SshSigner> signer = signing.restorePointSigner();
      PrintWriter err = spec.commandLine().getErr();
      FleetRestorePoints.Selection selection;
      try (GitOpsRepository repo = repository.open()) {
        FleetRollout.Builder b = FleetRollout.builder(PromotionEngine.builder(repo).build(), repo)
            .historyLimit(historyLimit);
        if (dryRunReports != null) {
          b.gateInputs(FleetRollout.dryRunReports(dryRunReports, GateCheck.Inputs.none()));
        }
        selection = b.build().restorePointsNeeded(fleet, digest);
      }
      FleetRestorePointResult result;
      try (RestorePointCommand.LazyCluster cluster = new RestorePointCommand.LazyCluster(connection)) {
        FleetRestorePoints points = new FleetRestorePoints(progress -> RestorePoints.builder()
            .environmentVariables(environment).pgBinDir(pgBinDir).cluster(cluster).progress(progress).build(),
            out, parallel, signer);
        result = points.take(selection, line -> {
          err.println("fleet restore-point: " + line);
          err.flush();
        });
      }
      output.print(spec.commandLine().getOut(), result, text(result));
      return result.exitCode();
    }

    static String text(FleetRestorePointResult result) {
      StringBuilder t = new StringBuilder();
      t.append("fleet ").append(result.fleet()).append(" restore points: ").append(result.application())
          .append('@').append(ImageDigest.shortForm(result.digest())).append(", ")
          .append(result.wave() == null ? "every wave is done" : "wave " + result.wave()).append(" - ")
          .append(result.tenants().isEmpty() ? "nothing to do" : result.counts().entrySet().stream()
              .map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", ")))
          .append(" (at most ").append(result.parallel()).append(" at a time)\n\n");
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"TENANT", "WAVE", "POINT", "DETAIL"});
      for (FleetRestorePointResult.TenantPoint tenant : result.tenants()) {
        rows.add(new String[] {tenant.tenant(), tenant.wave(), tenant.status().label(),
            tenant.status() == FleetRestorePointResult.Status.TAKEN ? tenant.trailer() + " (" + tenant.reason() + ")"
                : firstLine(tenant.reason())});
      }
      if (rows.size() > 1) {
        FleetCommand.table(t, rows);
      }
      t.append("evidence: ").append(result.dir()).append("/<tenant>/").append(FleetRestorePoints.EVIDENCE)
          .append(" - pass it with 'fleet promote --restore-points ").append(result.dir()).append("'\n");
      t.append("exit ").append(result.exitCode());
      return t.toString();
    }
  }

  /** A multi-line message in a one-line table cell; the JSON output has it whole. */
  private static String firstLine(String text) {
    int nl = text.indexOf('\n');
    return nl < 0 ? text : text.substring(0, nl) + " …";
  }
}
