package io.odoogitops.cli;

import io.odoogitops.dryrun.clone.CloneName;
import io.odoogitops.dryrun.setup.DryRunSetup;
import io.odoogitops.dryrun.setup.ShareText;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The dry-run's options that do not name a database: how to clone, what to run, the thresholds, the runner and the
 * signing key. {@code dry-run} takes them for its one source, {@code fleet dry-run} for every tenant's.
 */
public final class DryRunOptions {

  @Mixin
  SigningOptions signing;

  @Option(names = "--strategy", defaultValue = "embedded", completionCandidates = DryRunCommand.StrategyIds.class,
      description = "How to clone: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  String strategy;

  @Option(names = "--container-image", paramLabel = "IMAGE",
      description = "For --strategy container: the PostgreSQL image instead of postgres:<source major>, e.g. a mirror"
          + " or a digest-pinned postgres@sha256:...; not older than the source.")
  String containerImage;

  @Option(names = {"-m", "--migrations"}, paramLabel = "LOCATION",
      description = "Flyway location (filesystem:DIR, classpath:PKG) or a directory; repeatable. Optional: without"
          + " it no SQL migration runs, and the dry-run measures the Odoo upgrade alone.")
  List<String> migrations = new ArrayList<>();

  @Option(names = "--neutralize-sql", paramLabel = "FILE",
      description = "Extra SQL run on the clone after Odoo's neutralization; repeatable.")
  List<Path> neutralizeSql = new ArrayList<>();

  @Option(names = "--odoo-series", paramLabel = "SERIES", description = "Odoo series of the image, e.g. 17.0.")
  String odooSeries;

  @Option(names = "--addons", arity = "1..*", paramLabel = "DIR",
      description = "The addons directories the image was built from: plans the Odoo upgrade (modules to install or"
          + " upgrade, migration scripts) against the clone, with the image's versions and checksums.")
  List<Path> addons = new ArrayList<>();

  @Option(names = "--base-module", paramLabel = "NAME", split = ",",
      description = "Modules the base image provides, e.g. Odoo's own (repeatable or comma-separated); as listed"
          + " under 'from the base image' by 'odoo-gitops build'.")
  List<String> baseModules = new ArrayList<>();

  @Option(names = "--image-modules", paramLabel = "FILE",
      description = "JSON list of the image's modules: [{\"name\", \"version\", \"checksum\", \"path\","
          + " \"depends\", \"autoInstall\", \"countries\"}]; enables the Odoo upgrade plan (with --odoo-series)."
          + " Paths are relative to the file; depends, autoInstall and countries, as in a manifest, let the plan"
          + " install what the release now needs.")
  Path imageModules;

  @Option(names = "--max-duration", paramLabel = "DURATION", converter = DryRunCommand.DurationConverter.class,
      description = "FAIL when all migrations together take longer (default 15m).")
  Duration maxDuration;

  @Option(names = "--max-access-exclusive", paramLabel = "DURATION", converter = DryRunCommand.DurationConverter.class,
      description = "FAIL when one migration holds ACCESS EXCLUSIVE on a large table longer (default 5s).")
  Duration maxAccessExclusive;

  @Option(names = "--max-write-blocking", paramLabel = "DURATION", converter = DryRunCommand.DurationConverter.class,
      description = "FAIL when a lock that blocks writers (SHARE or stronger, e.g. a non-concurrent CREATE INDEX)"
          + " is held on a large table or one of its indexes longer (default 30s).")
  Duration maxWriteBlocking;

  @Option(names = "--large-table-rows", paramLabel = "ROWS",
      description = "From how many rows a table is large (default 100000).")
  Long largeTableRows;

  @Option(names = "--forbid", paramLabel = "RULE", description = "Lint rule id that FAILs the run; repeatable.")
  List<String> forbid = new ArrayList<>();

  @Option(names = "--require-rollback-safe", description = "FAIL (not WARN) when rolling back needs a restore.")
  boolean requireRollbackSafe;

  @Option(names = "--warn-exit-code", paramLabel = "CODE", defaultValue = "0",
      description = "Exit code for a WARN verdict (default: ${DEFAULT-VALUE}).")
  int warnExitCode;

  @Option(names = "--statement-timeout", paramLabel = "DURATION", converter = DryRunCommand.DurationConverter.class,
      defaultValue = "30m", description = "A migration statement running longer fails (default: ${DEFAULT-VALUE}).")
  Duration statementTimeout;

  @Option(names = "--lock-timeout", paramLabel = "DURATION", converter = DryRunCommand.DurationConverter.class,
      defaultValue = "1m", description = "A migration waiting longer for a lock fails (default: ${DEFAULT-VALUE}).")
  Duration lockTimeout;

  @Option(names = "--history-table", paramLabel = "TABLE", defaultValue = "flyway_schema_history")
  String historyTable;

  @Option(names = "--pg-bin-dir", paramLabel = "DIR", description = "Where pg_dump and pg_restore are.")
  Path pgBinDir;

  @Option(names = "--jobs", paramLabel = "N", defaultValue = "2",
      description = "Parallel pg_dump/pg_restore jobs (default: ${DEFAULT-VALUE}).")
  int jobs;

  @Option(names = "--work-dir", paramLabel = "DIR",
      description = "Dumps and embedded clones (default: <tmp>/odoo-gitops-dryrun).")
  Path workDir;

  @Option(names = "--clone-prefix", paramLabel = "PREFIX", defaultValue = CloneName.DEFAULT_PREFIX)
  String clonePrefix;

  @Option(names = "--clone-ttl", paramLabel = "DURATION", converter = DryRunCommand.DurationConverter.class, defaultValue = "6h",
      description = "Clones of crashed runs older than this are swept (default: ${DEFAULT-VALUE}).")
  Duration cloneTtl;

  @Option(names = "--upgrade-container",
      description = "After the SQL migrations, run odoo -u of the modules the plan upgrades in a container of the"
          + " image (pinned by --image-digest, or loaded from --image-archive) on this machine's Docker engine; needs"
          + " --image. Refused (exit 3) without a Docker engine, before anything is cloned.")
  boolean upgradeContainer;

  @Option(names = "--image-archive", paramLabel = "FILE",
      description = "The image as 'odoo-gitops build --to oci:PATH' wrote it (or a docker save tar); must hold"
          + " the digest being judged. Neutralization then runs each installed module's data/neutralize.sql as 'odoo"
          + " neutralize' does, read from --addons first, then from the image's layers (Odoo 16+); and"
          + " --upgrade-container loads it instead of pulling the image.")
  Path imageArchive;

  @Option(names = "--odoo-bin", paramLabel = "PATH",
      description = "After the SQL migrations, run odoo -u of the modules the plan upgrades as a process on this"
          + " machine: PATH [--odoo-arg ...] -d <clone> -u <modules> --stop-after-init --workers=0 --no-http, the"
          + " clone's connection in PGHOST/PGPORT/PGUSER/PGPASSWORD. Works with every --strategy.")
  Path odooBin;

  @Option(names = "--odoo-arg", paramLabel = "ARG",
      description = "An argument of --odoo-bin before the dry-run's own, repeatable, e.g. --odoo-arg=-c"
          + " --odoo-arg=/etc/odoo/odoo.conf or --odoo-arg=--addons-path=/opt/odoo/addons,addons.")
  List<String> odooArgs = new ArrayList<>();

  @Option(names = "--odoo-timeout", paramLabel = "DURATION", converter = DryRunCommand.DurationConverter.class,
      description = "FAIL when odoo -u takes longer, with --odoo-bin (default 1h) or --upgrade-container (default"
          + " 30m).")
  Duration odooTimeout;

  @Option(names = "--require-odoo-upgrade",
      description = "FAIL (not WARN) when the plan upgrades or installs modules and no runner ran odoo -u.")
  boolean requireOdooUpgrade;

  @Option(names = "--max-rows-rewritten", paramLabel = "SHARE",
      description = "WARN when odoo -u updates more than this share of a large table's rows, e.g. 50%% or 0.5"
          + " (default 50%%).")
  String maxRowsRewritten;

  @Option(names = "--lock-sample-interval", paramLabel = "DURATION", converter = DryRunCommand.DurationConverter.class,
      description = "How often the locks of odoo -u are sampled, at most 200ms (default 100ms).")
  Duration lockSampleInterval;

  /** Hands every option to the front door, which checks them all. */
  DryRunSetup.Builder applyTo(DryRunSetup.Builder setup) {
    setup.strategy(strategy)
        .containerImage(containerImage)
        .migrations(migrations)
        .historyTable(historyTable)
        .statementTimeout(statementTimeout)
        .lockTimeout(lockTimeout)
        .reportSigner(signing.reportSigner().orElse(null))
        .odooSeries(odooSeries)
        .addons(addons)
        .baseModules(baseModules)
        .imageModules(imageModules)
        .maxDuration(maxDuration)
        .maxAccessExclusive(maxAccessExclusive)
        .maxWriteBlocking(maxWriteBlocking)
        .largeTableRows(largeTableRows)
        .forbid(forbid)
        .requireRollbackSafe(requireRollbackSafe)
        .warnExitCode(warnExitCode)
        .pgBinDir(pgBinDir)
        .jobs(jobs)
        .workDir(workDir)
        .clonePrefix(clonePrefix)
        .cloneTtl(cloneTtl)
        .upgradeContainer(upgradeContainer)
        .imageArchive(imageArchive)
        .odooTimeout(odooTimeout)
        .odooBin(odooBin)
        .odooArgs(odooArgs)
        .requireOdooUpgrade(requireOdooUpgrade)
        .maxRowsRewritten(maxRowsRewritten == null ? null : ShareText.parse(maxRowsRewritten, "--max-rows-rewritten"))
        .lockSampleInterval(lockSampleInterval);
    neutralizeSql.forEach(setup::neutralizationScript);
    return setup;
  }
}
