package io.odoogitops.dryrun.setup;

import io.odoogitops.ImageDigest;
import io.odoogitops.InputFiles;
import io.odoogitops.ReleaseException;
import io.odoogitops.dryrun.DryRun;
import io.odoogitops.dryrun.DryRunRequest;
import io.odoogitops.dryrun.clone.CloneName;
import io.odoogitops.dryrun.clone.CloneStrategy;
import io.odoogitops.dryrun.clone.ContainerCloneStrategy;
import io.odoogitops.dryrun.clone.DumpCloneStrategy;
import io.odoogitops.dryrun.clone.DumpRestore;
import io.odoogitops.dryrun.clone.EmbeddedCloneStrategy;
import io.odoogitops.dryrun.clone.PgEndpoint;
import io.odoogitops.dryrun.clone.StagingServer;
import io.odoogitops.dryrun.clone.TemplateCloneStrategy;
import io.odoogitops.dryrun.migrate.MigrationSettings;
import io.odoogitops.dryrun.neutralize.ModuleSources;
import io.odoogitops.dryrun.plan.ReleaseModules;
import io.odoogitops.dryrun.report.DryRunReport;
import io.odoogitops.dryrun.report.ReportFiles;
import io.odoogitops.dryrun.report.ReportSigner;
import io.odoogitops.dryrun.upgrade.ContainerOdooUpgrade;
import io.odoogitops.dryrun.upgrade.LocalOdooUpgrade;
import io.odoogitops.dryrun.upgrade.OdooUpgradePhase;
import io.odoogitops.dryrun.verdict.DryRunPolicy;
import io.odoogitops.policy.Verdict;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The dry-run's one front door, for the CLI, the Jenkins step and any other caller: options as a user gives them
 * (URLs, strategy names, locations, paths, thresholds), checked all at once by {@link Builder#build()} before anything
 * touches the source, then {@link #run} clones, measures, judges, writes the reports and says which exit code the
 * verdict means. Callers only map their own input syntax onto the builder; everything else lives here, once.
 *
 * <p>The {@code odoo -u} runner is handed in as an {@link OdooUpgradePhase}: the Kubernetes Job runner lives in
 * {@code cluster}, which depends on {@code dryrun}, so building it here would make a package cycle.
 */
public final class DryRunSetup {

  /** How long a run waits for another run's lock on the same staging server before giving up. */
  public static final Duration STAGING_LOCK_WAIT = Duration.ofMinutes(10);
  /** As much as the neutralizer itself reads of one script. */
  static final long MAX_NEUTRALIZATION_SCRIPT_BYTES = InputFiles.LARGE_LIMIT;

  /** The clone strategies by the names users pick them with. */
  public enum Strategy {
    EMBEDDED, TEMPLATE, DUMP, CONTAINER;

    /** The name on the command line and in a Jenkinsfile. */
    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Strategy parse(String id) {
      for (Strategy s : values()) {
        if (s.id().equals(id)) {
          return s;
        }
      }
      throw ReleaseException.badInput("unknown clone strategy '" + id + "'; use one of " + ids());
    }

    public static List<String> ids() {
      return Arrays.stream(values()).map(Strategy::id).toList();
    }

    /** Strategies that clone on a staging server of their own rather than on this machine. */
    boolean onStagingServer() {
      return this == TEMPLATE || this == DUMP;
    }
  }

  private final DryRunRequest request;
  private final Path reportDir;
  private final int warnExitCode;
  private final ProgressRelay relay;
  private final ReportSigner reportSigner;

  private DryRunSetup(DryRunRequest request, Path reportDir, int warnExitCode, ProgressRelay relay,
      ReportSigner reportSigner) {
    this.request = request;
    this.reportDir = reportDir;
    this.warnExitCode = warnExitCode;
    this.relay = relay;
    this.reportSigner = reportSigner;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The request {@link #run} executes, fully checked. */
  public DryRunRequest request() {
    return request;
  }

  public Path reportDir() {
    return reportDir;
  }

  /**
   * Runs the dry-run and writes its reports.
   *
   * @param progress one line per step, for a CLI's stderr or a Jenkins log
   * @throws ReleaseException when the run could not be made at all (no report is written then)
   */
  public DryRunOutcome run(Consumer<String> progress) {
    relay.target = Objects.requireNonNull(progress, "progress");
    DryRunReport report = new DryRun(request, progress).run();
    ReportFiles files = ReportFiles.write(report, reportDir, reportSigner);
    Verdict verdict = report.judgement().verdict();
    int exitCode = switch (verdict) {
      case PASS -> 0;
      case WARN -> warnExitCode;
      case FAIL -> ReleaseException.Kind.REFUSED.exitCode();
    };
    return new DryRunOutcome(report, files, exitCode);
  }

  /**
   * The runners this class builds are built (and checked) in {@link Builder#build()}, before {@link #run} is given
   * the progress consumer; they write through this. Runners stream from their own threads, hence volatile.
   */
  private static final class ProgressRelay implements Consumer<String> {
    private volatile Consumer<String> target = line -> { };

    @Override
    public void accept(String line) {
      target.accept(line);
    }
  }

  /** Wide configuration: callers name what they set; {@code null} means "the default" for every optional value. */
  public static final class Builder {
    private String sourceUrl;
    private String sourceUser;
    private String sourcePassword;
    private String strategy = Strategy.EMBEDDED.id();
    private String containerImage;
    private String stagingUrl;
    private String stagingUser;
    private String stagingPassword;
    private String stagingAdminDatabase;
    private final List<String> migrations = new ArrayList<>();
    private Path baseDirectory = Path.of("");
    private String historyTable = "flyway_schema_history";
    private Duration statementTimeout = Duration.ofMinutes(30);
    private Duration lockTimeout = Duration.ofMinutes(1);
    private final List<Path> neutralizationScripts = new ArrayList<>();
    private String image;
    private ImageDigest imageDigest;
    private String odooSeries;
    private final List<Path> addons = new ArrayList<>();
    private final List<String> baseModules = new ArrayList<>();
    private Path imageModules;
    private Duration maxDuration;
    private Duration maxAccessExclusive;
    private Long largeTableRows;
    private final List<String> forbid = new ArrayList<>();
    private boolean requireRollbackSafe;
    private int warnExitCode;
    private Path pgBinDir;
    private int jobs = 2;
    private Path workDir;
    private String clonePrefix = CloneName.DEFAULT_PREFIX;
    private Duration cloneTtl = Duration.ofHours(6);
    private Path reportDir;
    private ReportSigner reportSigner;
    private OdooUpgradePhase upgradePhase;
    private boolean upgradeContainer;
    private Path imageArchive;
    private Duration odooTimeout;
    private Path odooBin;
    private final List<String> odooArgs = new ArrayList<>();
    private boolean requireOdooUpgrade;
    private Double maxRowsRewritten;
    private Duration maxWriteBlocking;
    private Duration lockSampleInterval;
    private Clock clock = Clock.systemUTC();

    private Builder() {
    }

    /** The production database, read only ({@code jdbc:postgresql://host:5432/db}); for {@code template}, the copy. */
    public Builder source(String url, String user, String password) {
      this.sourceUrl = url;
      this.sourceUser = user;
      this.sourcePassword = password;
      return this;
    }

    /** {@code embedded} (default), {@code template}, {@code dump} or {@code container}. */
    public Builder strategy(String id) {
      this.strategy = id;
      return this;
    }

    /** For {@code container}: the PostgreSQL image instead of {@code postgres:<source major>}. */
    public Builder containerImage(String reference) {
      this.containerImage = reference;
      return this;
    }

    /** For {@code template} and {@code dump}: the staging server's maintenance database (null user: the source's). */
    public Builder staging(String url, String user, String password) {
      this.stagingUrl = url;
      this.stagingUser = user;
      this.stagingPassword = password;
      return this;
    }

    /** For {@code template} and {@code dump}: the staging server is the source's, with this maintenance database. */
    public Builder stagingAdminDatabase(String database) {
      this.stagingAdminDatabase = database;
      return this;
    }

    /**
     * A directory or Flyway location; relative directories are resolved against {@link #baseDirectory}. Optional:
     * most Odoo releases have no SQL migrations, and the Odoo upgrade alone is a dry-run too.
     */
    public Builder migration(String location) {
      this.migrations.add(location);
      return this;
    }

    public Builder migrations(Collection<String> locations) {
      this.migrations.addAll(locations);
      return this;
    }

    /** What relative paths are relative to (default: the working directory). */
    public Builder baseDirectory(Path value) {
      this.baseDirectory = value;
      return this;
    }

    public Builder historyTable(String value) {
      this.historyTable = value;
      return this;
    }

    public Builder statementTimeout(Duration value) {
      this.statementTimeout = value;
      return this;
    }

    public Builder lockTimeout(Duration value) {
      this.lockTimeout = value;
      return this;
    }

    /** Extra SQL run on the clone after Odoo's neutralization, in the order given. */
    public Builder neutralizationScript(Path file) {
      this.neutralizationScripts.add(file);
      return this;
    }

    /** The image reference (for the report and the upgrade runner) and the digest the verdict is bound to. */
    public Builder image(String reference, ImageDigest digest) {
      this.image = reference;
      this.imageDigest = digest;
      return this;
    }

    public Builder odooSeries(String value) {
      this.odooSeries = value;
      return this;
    }

    /** The addons directories the image was built from: enables the Odoo upgrade plan. */
    public Builder addons(Collection<Path> dirs) {
      this.addons.addAll(dirs);
      return this;
    }

    /** Modules the base image provides, e.g. Odoo's own. */
    public Builder baseModules(Collection<String> names) {
      this.baseModules.addAll(names);
      return this;
    }

    /** JSON list of the image's modules; with {@link #odooSeries}, enables the Odoo upgrade plan. */
    public Builder imageModules(Path file) {
      this.imageModules = file;
      return this;
    }

    public Builder maxDuration(Duration value) {
      this.maxDuration = value;
      return this;
    }

    public Builder maxAccessExclusive(Duration value) {
      this.maxAccessExclusive = value;
      return this;
    }

    public Builder largeTableRows(Long value) {
      this.largeTableRows = value;
      return this;
    }

    public Builder forbid(Collection<String> ruleIds) {
      this.forbid.addAll(ruleIds);
      return this;
    }

    public Builder requireRollbackSafe(boolean value) {
      this.requireRollbackSafe = value;
      return this;
    }

    /** The exit code a WARN verdict maps to (default 0). */
    public Builder warnExitCode(int value) {
      this.warnExitCode = value;
      return this;
    }

    /** Where pg_dump and pg_restore are (default: looked up by version). */
    public Builder pgBinDir(Path value) {
      this.pgBinDir = value;
      return this;
    }

    /** Parallel pg_dump/pg_restore jobs (default 2). */
    public Builder jobs(int value) {
      this.jobs = value;
      return this;
    }

    /** Dumps and embedded clones (default: {@code <tmp>/odoo-gitops-dryrun}). */
    public Builder workDir(Path value) {
      this.workDir = value;
      return this;
    }

    public Builder clonePrefix(String value) {
      this.clonePrefix = value;
      return this;
    }

    public Builder cloneTtl(Duration value) {
      this.cloneTtl = value;
      return this;
    }

    /** Signs dry-run.json (dry-run.json.sig) with the key that ran the dry-run; null writes no signature. */
    public Builder reportSigner(ReportSigner value) {
      this.reportSigner = value;
      return this;
    }

    public Builder reportDir(Path value) {
      this.reportDir = value;
      return this;
    }

    /**
     * Runs {@code odoo -u} on the clone after the SQL migrations with a runner the caller built, e.g. the cluster's
     * Kubernetes Job; the other runners are chosen with their own options below. One runner at most.
     */
    public Builder upgradePhase(OdooUpgradePhase value) {
      this.upgradePhase = value;
      return this;
    }

    /** Runs {@code odoo -u} in a container of the image being judged, on this machine's Docker engine. */
    public Builder upgradeContainer(boolean value) {
      this.upgradeContainer = value;
      return this;
    }

    /**
     * The image as {@code odoo-gitops build} wrote it (OCI layout or docker save tar): the container runner loads it
     * instead of pulling, and neutralization reads each installed module's {@code data/neutralize.sql} from its
     * layers (after the {@link #addons} directories), as {@code odoo neutralize} would.
     */
    public Builder imageArchive(Path file) {
      this.imageArchive = file;
      return this;
    }

    /** How long {@code odoo -u} may take in the container or the local process (default: the runner's). */
    public Builder odooTimeout(Duration value) {
      this.odooTimeout = value;
      return this;
    }

    /** Runs {@code odoo -u} as a process on this machine with this {@code odoo-bin}; works with every strategy. */
    public Builder odooBin(Path value) {
      this.odooBin = value;
      return this;
    }

    /** Extra arguments of the local {@code odoo-bin}, before the dry-run's own: {@code -c}, {@code /etc/odoo.conf}. */
    public Builder odooArgs(Collection<String> values) {
      this.odooArgs.addAll(values);
      return this;
    }

    /** FAIL, not WARN, when the plan upgrades or installs modules and no runner ran {@code odoo -u}. */
    public Builder requireOdooUpgrade(boolean value) {
      this.requireOdooUpgrade = value;
      return this;
    }

    /** Share of a large table's rows, in (0, 1], an upgrade may update before a WARN (default 0.5). */
    public Builder maxRowsRewritten(Double share) {
      this.maxRowsRewritten = share;
      return this;
    }

    /**
     * Longest a lock that blocks writers (SHARE and stronger) may be held on a large table before a FAIL (default
     * 30 s).
     */
    public Builder maxWriteBlocking(Duration value) {
      this.maxWriteBlocking = value;
      return this;
    }

    /** How often the locks of {@code odoo -u} are sampled, 1 to 200 ms (default 100 ms). */
    public Builder lockSampleInterval(Duration value) {
      this.lockSampleInterval = value;
      return this;
    }

    public Builder clock(Clock value) {
      this.clock = value;
      return this;
    }

    /**
     * Checks every option and every path, reads the small input files (image modules, addons manifests), and contacts
     * nothing: no database, no Docker engine, no cluster.
     *
     * @throws ReleaseException bad input, naming the option and how to fix it
     */
    public DryRunSetup build() {
      Strategy chosen = Strategy.parse(strategy);
      if (containerImage != null && chosen != Strategy.CONTAINER) {
        throw ReleaseException.badInput("--container-image only applies to --strategy container, not " + chosen.id());
      }
      PgEndpoint source = PgEndpoint.parse(sourceUrl, sourceUser, sourcePassword);
      Path base = Objects.requireNonNull(baseDirectory, "baseDirectory").toAbsolutePath();
      if (reportDir == null) {
        throw ReleaseException.badInput("no report directory given; the reports are the dry-run's result");
      }
      Path reports = base.resolve(reportDir).normalize();
      InputPaths.requireWritableDirectory(reports, "report directory");
      Path work = workDir != null ? base.resolve(workDir).normalize()
          : Path.of(System.getProperty("java.io.tmpdir"), "odoo-gitops-dryrun");
      CloneStrategy cloneStrategy = cloneStrategy(chosen, source, work, base);
      MigrationSettings migrationSettings = new MigrationSettings(MigrationLocations.resolveAll(migrations, base),
          historyTable, "0", statementTimeout, lockTimeout);
      DryRunRequest.Builder request = DryRunRequest.builder()
          .source(source)
          .strategy(cloneStrategy)
          .clonePrefix(clonePrefix)
          .cloneTtl(cloneTtl)
          .image(image, imageDigest)
          .migrations(migrationSettings)
          .policy(policy())
          .baseModules(baseModules)
          .upgradePhase(upgradePhase)
          .clock(clock);
      for (Path script : neutralizationScripts) {
        Path file = base.resolve(script).normalize();
        InputPaths.requireReadableFile(file, "neutralization script", MAX_NEUTRALIZATION_SCRIPT_BYTES);
        request.neutralizationScript(file);
      }
      odooModules(request, base);
      moduleSources(request, base);
      ProgressRelay relay = new ProgressRelay();
      // last: a runner may probe Docker (infrastructure), which must not hide a bad input found above
      OdooUpgradePhase runner = runner(base, relay);
      if (runner != null) {
        request.upgradePhase(runner);
      }
      return new DryRunSetup(request.build(), reports, warnExitCode, relay, reportSigner);
    }

    /** The one {@code odoo -u} runner the options choose, or null for none. */
    private OdooUpgradePhase runner(Path base, ProgressRelay relay) {
      long chosen = Stream.of(odooBin != null, upgradeContainer, upgradePhase != null)
          .filter(b -> b).count();
      if (chosen > 1) {
        throw ReleaseException.badInput("choose one odoo -u runner: --odoo-bin (a local process),"
            + " --upgrade-container (this machine's Docker) or --upgrade-job (a Kubernetes Job)");
      }
      if (!odooArgs.isEmpty() && odooBin == null) {
        throw ReleaseException.badInput("--odoo-arg only applies with --odoo-bin; add it or drop the arguments");
      }
      if (odooBin != null) {
        LocalOdooUpgrade.Builder local = LocalOdooUpgrade.builder().odooBin(base.resolve(odooBin).normalize())
            .args(odooArgs).progress(relay);
        if (odooTimeout != null) {
          local.timeout(odooTimeout);
        }
        return local.build();
      }
      if (!upgradeContainer) {
        if (odooTimeout != null) {
          throw ReleaseException.badInput("--odoo-timeout applies to --odoo-bin or --upgrade-container; the"
              + " Kubernetes Job has --upgrade-job-timeout");
        }
        return upgradePhase;
      }
      if (image == null) {
        throw ReleaseException.badInput("--upgrade-container needs --image (registry/repository[:tag]): the"
            + " container runs that repository at --image-digest");
      }
      return container(base, relay);
    }

    /** Its own method: Testcontainers is loaded only when the container runner is chosen. */
    private OdooUpgradePhase container(Path base, ProgressRelay relay) {
      ContainerOdooUpgrade.Builder container = ContainerOdooUpgrade.builder()
          .progress(relay)
          .odooLog(line -> relay.accept("odoo | " + line));
      if (imageArchive != null) {
        // read and checked by build() below, before Docker is asked anything
        container.archive(base.resolve(imageArchive).normalize());
      }
      if (odooTimeout != null) {
        container.timeout(odooTimeout);
      }
      return container.build();
    }

    /**
     * Odoo's own neutralize.sql files run when the image is given: it holds Odoo's addons, so every installed module
     * can be found, and one that cannot is refused. Addons directories alone hold the release's modules, never
     * Odoo's: requiring every installed module from them would refuse every run, so without the image the built-in
     * steps run and the report says that Odoo's files were not run.
     */
    private void moduleSources(DryRunRequest.Builder request, Path base) {
      if (imageArchive == null) {
        return;
      }
      ModuleSources sources = ModuleSources.of(addons.stream().map(base::resolve).toList(),
          List.of(base.resolve(imageArchive).normalize()));
      // DryRun checks it again; here it is part of "every input before anything is contacted"
      sources.requireImage(imageDigest);
      request.moduleSources(sources);
    }

    private void odooModules(DryRunRequest.Builder request, Path base) {
      if (!addons.isEmpty() && imageModules != null) {
        throw ReleaseException.badInput("give either --addons or --image-modules, not both");
      }
      if (!addons.isEmpty()) {
        ReleaseModules modules = ReleaseModules.fromAddons(addons.stream().map(base::resolve).toList(), odooSeries);
        request.odooModules(modules.series(), modules.modules());
      } else if (imageModules != null) {
        if (odooSeries == null) {
          throw ReleaseException.badInput("--image-modules needs --odoo-series (e.g. 17.0) to plan the upgrade");
        }
        request.odooModules(odooSeries, ImageModulesFile.read(base.resolve(imageModules)));
      }
    }

    private CloneStrategy cloneStrategy(Strategy chosen, PgEndpoint source, Path work, Path base) {
      if (chosen != Strategy.TEMPLATE) {
        // template never dumps: its work directory and client tools do not matter
        InputPaths.requireWritableDirectory(work, "work directory");
        if (pgBinDir != null) {
          InputPaths.requireDirectory(base.resolve(pgBinDir), "--pg-bin-dir");
        }
      }
      DumpRestore dumpRestore = new DumpRestore(Optional.ofNullable(pgBinDir).map(base::resolve), jobs,
          work.resolve("dumps"));
      return switch (chosen) {
        case EMBEDDED -> new EmbeddedCloneStrategy(work.resolve("clones"), dumpRestore);
        case CONTAINER -> new ContainerCloneStrategy(dumpRestore, Optional.ofNullable(containerImage));
        case TEMPLATE -> new TemplateCloneStrategy(stagingServer(chosen, source));
        case DUMP -> new DumpCloneStrategy(stagingServer(chosen, source), dumpRestore);
      };
    }

    private StagingServer stagingServer(Strategy chosen, PgEndpoint source) {
      PgEndpoint admin;
      if (stagingUrl != null) {
        admin = PgEndpoint.parse(stagingUrl, stagingUser != null ? stagingUser : source.user(), stagingPassword);
      } else if (stagingAdminDatabase != null) {
        admin = source.withDatabase(stagingAdminDatabase);
      } else {
        throw ReleaseException.badInput("--strategy " + chosen.id() + " needs --staging-url (the staging server's"
            + " maintenance database, e.g. jdbc:postgresql://staging:5432/postgres)");
      }
      return new StagingServer(admin, STAGING_LOCK_WAIT);
    }

    private DryRunPolicy policy() {
      DryRunPolicy.Builder policy = DryRunPolicy.builder().requireRollbackSafe(requireRollbackSafe);
      if (maxDuration != null) {
        policy.maxTotalDuration(maxDuration);
      }
      if (maxAccessExclusive != null) {
        policy.maxAccessExclusive(maxAccessExclusive);
      }
      if (largeTableRows != null) {
        policy.largeTableRows(largeTableRows);
      }
      if (maxRowsRewritten != null) {
        policy.maxRowsRewritten(maxRowsRewritten);
      }
      if (maxWriteBlocking != null) {
        policy.maxWriteBlocking(maxWriteBlocking);
      }
      if (lockSampleInterval != null) {
        policy.lockSampleInterval(lockSampleInterval);
      }
      policy.requireOdooUpgrade(requireOdooUpgrade);
      forbid.forEach(policy::forbid);
      return policy.build();
    }
  }
}
