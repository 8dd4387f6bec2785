package io.odoogitops.cli;

import io.odoogitops.InputFiles;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.odoogitops.ReleaseException;
import io.odoogitops.cluster.ProgressListener;
import io.odoogitops.cluster.UpgradeJobPhase;
import io.odoogitops.cluster.UpgradeJobSettings;
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
import io.odoogitops.dryrun.plan.ImageModule;
import io.odoogitops.dryrun.plan.ReleaseModules;
import io.odoogitops.dryrun.report.DryRunReport;
import io.odoogitops.dryrun.report.ReportFiles;
import io.odoogitops.dryrun.verdict.DryRunPolicy;
import io.odoogitops.dryrun.verdict.Reason;
import io.odoogitops.policy.Verdict;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code odoo-gitops dry-run}: runs a release's migrations on a neutralized clone of production and judges them. */
@Command(name = "dry-run", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Runs the release's migrations on a fresh, neutralized clone of the production database and says"
        + " what production would suffer: durations, locks, rewrites, schema changes, lint, Odoo upgrade plan;"
        + " with --upgrade-job, Odoo's own module upgrade too, as a Kubernetes Job.",
        "Writes dry-run.json (+ .sha256), dry-run.md and dry-run-junit.xml to --report-dir.",
        "Exit 0 PASS (and WARN unless --warn-exit-code), 1 FAIL, 2 bad input, 3 infrastructure failure."})
public final class DryRunCommand implements Callable<Integer> {

  enum Strategy { embedded, template, dump, container }

  @Spec
  CommandSpec spec;

  @Mixin
  OutputOptions output;

  @Mixin
  SigningOptions signing;

  @Option(names = "--source-url", required = true, paramLabel = "URL",
      description = "Production database, read only: jdbc:postgresql://host:5432/db. For --strategy template, the"
          + " refreshed copy on the staging server.")
  String sourceUrl;

  @Option(names = "--source-user", required = true, paramLabel = "USER")
  String sourceUser;

  @Option(names = "--source-password-env", paramLabel = "VAR", defaultValue = "PGPASSWORD",
      description = "Environment variable holding the source password (default: ${DEFAULT-VALUE}).")
  String sourcePasswordEnv;

  @Option(names = "--source-password-file", paramLabel = "FILE", description = "File holding the source password.")
  Path sourcePasswordFile;

  @Option(names = "--strategy", defaultValue = "embedded",
      description = "How to clone: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  Strategy strategy;

  @Option(names = "--container-image", paramLabel = "IMAGE",
      description = "For --strategy container: the PostgreSQL image instead of postgres:<source major>, e.g. a mirror"
          + " or a digest-pinned postgres@sha256:...; not older than the source.")
  String containerImage;

  @Option(names = "--staging-url", paramLabel = "URL",
      description = "Staging server's maintenance database for template/dump, e.g. jdbc:postgresql://staging/postgres.")
  String stagingUrl;

  @Option(names = "--staging-user", paramLabel = "USER", description = "Defaults to --source-user.")
  String stagingUser;

  @Option(names = "--staging-password-env", paramLabel = "VAR", defaultValue = "STAGING_PGPASSWORD",
      description = "Environment variable holding the staging password (default: ${DEFAULT-VALUE}).")
  String stagingPasswordEnv;

  @Option(names = "--staging-password-file", paramLabel = "FILE")
  Path stagingPasswordFile;

  @Option(names = {"-m", "--migrations"}, required = true, paramLabel = "LOCATION",
      description = "Flyway location (filesystem:DIR, classpath:PKG) or a directory; repeatable.")
  List<String> migrations = new ArrayList<>();

  @Option(names = "--neutralize-sql", paramLabel = "FILE",
      description = "Extra SQL run on the clone after Odoo's neutralization; repeatable.")
  List<Path> neutralizeSql = new ArrayList<>();

  @Option(names = "--image", paramLabel = "REF", description = "Image reference, for the report.")
  String image;

  @Option(names = "--image-digest", required = true, paramLabel = "sha256:HEX",
      description = "Digest the verdict is bound to.")
  String imageDigest;

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
      description = "JSON list of the image's modules: [{\"name\", \"version\", \"checksum\", \"path\"}]; enables"
          + " the Odoo upgrade plan (with --odoo-series). Paths are relative to the file.")
  Path imageModules;

  @Option(names = "--max-duration", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "FAIL when all migrations together take longer (default 15m).")
  Duration maxDuration;

  @Option(names = "--max-access-exclusive", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "FAIL when one migration holds ACCESS EXCLUSIVE on a large table longer (default 5s).")
  Duration maxAccessExclusive;

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

  @Option(names = "--statement-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
      defaultValue = "30m", description = "A migration statement running longer fails (default: ${DEFAULT-VALUE}).")
  Duration statementTimeout;

  @Option(names = "--lock-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
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

  @Option(names = "--clone-ttl", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "6h",
      description = "Clones of crashed runs older than this are swept (default: ${DEFAULT-VALUE}).")
  Duration cloneTtl;

  @Option(names = "--report-dir", required = true, paramLabel = "DIR")
  Path reportDir;

  @Mixin
  UpgradeJobOptions upgradeJob;

  @Override
  public Integer call() {
    upgradeJob.requireConsistent(strategy != Strategy.embedded, image);
    UpgradeJobSettings jobSettings = upgradeJob.enabled ? upgradeJob.settings() : null;
    SecretOptions secrets = new SecretOptions();
    String sourcePassword = secrets.read("source password", sourcePasswordFile, sourcePasswordEnv).orElse(null);
    PgEndpoint source = PgEndpoint.parse(sourceUrl, sourceUser, sourcePassword);
    Path work = workDir != null ? workDir : Path.of(System.getProperty("java.io.tmpdir"), "odoo-gitops-dryrun");
    DryRunRequest.Builder request = DryRunRequest.builder()
        .source(source)
        .strategy(strategy(secrets, work))
        .clonePrefix(clonePrefix)
        .cloneTtl(cloneTtl)
        .image(image, imageDigest)
        .migrations(new MigrationSettings(migrations.stream().map(DryRunCommand::location).toList(), historyTable,
            "0", statementTimeout, lockTimeout))
        .policy(policy());
    neutralizeSql.forEach(request::neutralizationScript);
    if (!addons.isEmpty() && imageModules != null) {
      throw ReleaseException.badInput("give either --addons or --image-modules, not both");
    }
    request.baseModules(baseModules);
    if (!addons.isEmpty()) {
      ReleaseModules modules = ReleaseModules.fromAddons(addons, odooSeries);
      request.odooModules(modules.series(), modules.modules());
    } else if (imageModules != null) {
      if (odooSeries == null) {
        throw ReleaseException.badInput("--image-modules needs --odoo-series (e.g. 17.0) to plan the upgrade");
      }
      request.odooModules(odooSeries, readModules(imageModules));
    }
    PrintWriter err = spec.commandLine().getErr();
    Consumer<String> progress = line -> {
      err.println("dry-run: " + line);
      err.flush();
    };
    DryRunReport report;
    if (jobSettings == null) {
      report = new DryRun(request.build(), progress).run();
    } else {
      try (KubernetesClient client = upgradeJob.cluster.connection().open()) {
        request.upgradePhase(new UpgradeJobPhase(client, jobProgress(err), jobSettings));
        report = new DryRun(request.build(), progress).run();
      }
    }
    ReportFiles files = ReportFiles.write(report, reportDir, signing.reportSigner().orElse(null));
    output.print(spec.commandLine().getOut(), summary(report, files), text(report, files));
    Verdict verdict = report.judgement().verdict();
    return switch (verdict) {
      case PASS -> 0;
      case WARN -> warnExitCode;
      case FAIL -> Main.REFUSED;
    };
  }

  /** The Job's progress and Odoo's log, streamed as they come: an upgrade runs for minutes. */
  private static ProgressListener jobProgress(PrintWriter err) {
    return new ProgressListener() {
      @Override
      public void progress(String message) {
        synchronized (err) {
          err.println("dry-run: upgrade job: " + message);
          err.flush();
        }
      }

      @Override
      public void podLog(String pod, String line) {
        synchronized (err) {
          err.println("dry-run: odoo | " + line);
          err.flush();
        }
      }
    };
  }

  private CloneStrategy strategy(SecretOptions secrets, Path work) {
    DumpRestore dumpRestore = new DumpRestore(Optional.ofNullable(pgBinDir), jobs, work.resolve("dumps"));
    if (containerImage != null && strategy != Strategy.container) {
      throw ReleaseException.badInput("--container-image only applies to --strategy container, not " + strategy);
    }
    if (strategy == Strategy.embedded) {
      return new EmbeddedCloneStrategy(work.resolve("clones"), dumpRestore);
    }
    if (strategy == Strategy.container) {
      return new ContainerCloneStrategy(dumpRestore, Optional.ofNullable(containerImage));
    }
    if (stagingUrl == null) {
      throw ReleaseException.badInput("--strategy " + strategy + " needs --staging-url (the staging server's"
          + " maintenance database, e.g. jdbc:postgresql://staging:5432/postgres)");
    }
    String password = secrets.read("staging password", stagingPasswordFile, stagingPasswordEnv).orElse(null);
    StagingServer staging = new StagingServer(PgEndpoint.parse(stagingUrl,
        stagingUser != null ? stagingUser : sourceUser, password), Duration.ofMinutes(10));
    return strategy == Strategy.template ? new TemplateCloneStrategy(staging) : new DumpCloneStrategy(staging,
        dumpRestore);
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
    forbid.forEach(policy::forbid);
    return policy.build();
  }

  /** A bare directory is a filesystem location; anything with a scheme goes to Flyway as is. */
  static String location(String value) {
    return value.matches("^[a-z]+:.*") && !value.matches("^[A-Za-z]:\\\\.*") ? value
        : "filesystem:" + Path.of(value).toAbsolutePath().normalize();
  }

  record ModuleEntry(String name, String version, String checksum, String path) {
  }

  static List<ImageModule> readModules(Path file) {
    try {
      List<ModuleEntry> entries = new ObjectMapper().readValue(
          InputFiles.read(file, "modules file", InputFiles.DOCUMENT_LIMIT), new TypeReference<>() { });
      Path base = file.toAbsolutePath().getParent();
      List<ImageModule> modules = new ArrayList<>();
      for (ModuleEntry e : entries) {
        if (e.name() == null || e.version() == null) {
          throw ReleaseException.badInput(file + ": every module needs a name and a version");
        }
        modules.add(new ImageModule(e.name(), e.version(), e.checksum(),
            e.path() == null ? null : base.resolve(e.path()).normalize()));
      }
      return modules;
    } catch (IOException e) {
      throw ReleaseException.badInput("cannot read image modules from " + file + ": " + e.getMessage());
    }
  }

  private static Map<String, Object> summary(DryRunReport report, ReportFiles files) {
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("verdict", report.judgement().verdict());
    summary.put("rollbackSafety", report.judgement().rollbackSafety());
    summary.put("imageDigest", report.imageDigest());
    summary.put("report", files.json().toString());
    summary.put("reportSha256", "sha256:" + files.sha256());
    summary.put("reasons", report.judgement().reasons());
    if (report.odooUpgrade() != null) {
      summary.put("odooUpgrade", report.odooUpgrade());
    }
    return summary;
  }

  private static String text(DryRunReport report, ReportFiles files) {
    StringBuilder text = new StringBuilder();
    text.append("dry-run ").append(report.judgement().verdict()).append(" for ").append(report.imageDigest())
        .append(" (rollback: ").append(report.judgement().rollbackSafety().name().toLowerCase().replace('_', ' '))
        .append(")\n");
    for (Reason reason : report.judgement().reasons()) {
      text.append("  ").append(reason.level()).append(' ').append(reason.rule()).append(' ').append(reason.subject())
          .append(": ").append(reason.message()).append('\n');
    }
    if (report.odooUpgrade() != null) {
      text.append("odoo -u ").append(String.join(",", report.odooUpgrade().modules())).append(": ")
          .append(report.odooUpgrade().outcome()).append(" in ").append(report.odooUpgrade().durationMs())
          .append(" ms\n");
    }
    text.append("report: ").append(files.json()).append(" (sha256:").append(files.sha256()).append(")\n");
    text.append("        ").append(files.markdown()).append("\n        ").append(files.junit());
    return text.toString();
  }

  /** {@code 30s}, {@code 5m}, {@code 2h}, {@code 500ms} or ISO-8601 ({@code PT5M}). */
  static final class DurationConverter implements ITypeConverter<Duration> {
    private static final Pattern SHORT = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    @Override
    public Duration convert(String value) {
      Matcher m = SHORT.matcher(value.trim());
      if (m.matches()) {
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
          case "ms" -> Duration.ofMillis(n);
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          default -> Duration.ofDays(n);
        };
      }
      try {
        return Duration.parse(value.trim());
      } catch (java.time.format.DateTimeParseException e) {
        throw new picocli.CommandLine.TypeConversionException("'" + value + "' is not a duration like 30s, 5m, 2h"
            + " or PT5M");
      }
    }
  }
}
