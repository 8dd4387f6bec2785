package io.odoogitops.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.odoogitops.ImageDigest;
import io.odoogitops.ReleaseException;
import io.odoogitops.cluster.UpgradeJobPhase;
import io.odoogitops.cluster.UpgradeJobSettings;
import io.odoogitops.dryrun.clone.CloneName;
import io.odoogitops.dryrun.setup.DryRunOutcome;
import io.odoogitops.dryrun.setup.DryRunSetup;
import io.odoogitops.dryrun.setup.DurationText;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code odoo-gitops dry-run}: runs a release's migrations on a neutralized clone of production and judges them. */
@Command(name = "dry-run", sortOptions = false,
    description = {"Runs the release's migrations on a fresh, neutralized clone of the production database and says"
        + " what production would suffer: durations, locks, rewrites, schema changes, lint, Odoo upgrade plan;"
        + " and Odoo's own module upgrade, measured, with --odoo-bin (a local process), --upgrade-container (the"
        + " image on this machine's Docker) or --upgrade-job (a Kubernetes Job).",
        "Writes dry-run.json (+ .sha256), dry-run.md and dry-run-junit.xml to --report-dir.",
        "Exit 0 PASS (and WARN unless --warn-exit-code), 1 FAIL, 2 bad input, 3 infrastructure failure."})
public final class DryRunCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  OutputOptions output;

  @Option(names = "--source-url", required = true, paramLabel = "URL",
      description = "Production database, read only: jdbc:postgresql://host:5432/db. For --strategy template, the"
          + " refreshed copy on the staging server.")
  String sourceUrl;

  @Option(names = "--source-user", required = true, paramLabel = "USER")
  String sourceUser;

  @Mixin SecretOptions sourcePassword = new SecretOptions("--source-password", "source password", "PGPASSWORD");

  @Option(names = "--staging-url", paramLabel = "URL",
      description = "Staging server's maintenance database for template/dump, e.g. jdbc:postgresql://staging/postgres.")
  String stagingUrl;

  @Option(names = "--staging-user", paramLabel = "USER", description = "Defaults to --source-user.")
  String stagingUser;

  @Mixin SecretOptions stagingPassword = new SecretOptions("--staging-password", "staging password",
      "STAGING_PGPASSWORD");

  @Option(names = "--image", paramLabel = "REF", description = "Image reference, for the report.")
  String image;

  @Option(names = "--image-digest", required = true, paramLabel = "sha256:HEX", converter = ImageConverters.Digest.class,
      description = "Digest the verdict is bound to.")
  ImageDigest imageDigest;

  /** Everything but the databases, the image and the reports. */
  @Mixin
  DryRunOptions options;

  @Option(names = "--report-dir", required = true, paramLabel = "DIR")
  Path reportDir;

  @Mixin
  UpgradeJobOptions upgradeJob;

  @Override
  public Integer call() {
    upgradeJob.requireConsistent(!options.strategy.equals(DryRunSetup.Strategy.EMBEDDED.id()), image);
    UpgradeJobSettings jobSettings = upgradeJob.enabled ? upgradeJob.settings() : null;
    DryRunSetup.Builder setup = options.applyTo(DryRunSetup.builder())
        .source(sourceUrl, sourceUser, sourcePassword.value().orElse(null))
        .image(image, imageDigest)
        .reportDir(reportDir);
    if (stagingUrl != null) {
      setup.staging(stagingUrl, stagingUser, stagingPassword.value().orElse(null));
    }
    PrintWriter err = spec.commandLine().getErr();
    Consumer<String> progress = line -> {
      err.println("dry-run: " + line);
      err.flush();
    };
    DryRunOutcome outcome;
    // a client is only a configuration until used: opening it contacts nothing, so bad input still comes first
    try (KubernetesClient client = jobSettings == null ? null : upgradeJob.cluster.connection().open()) {
      if (client != null) {
        setup.upgradePhase(new UpgradeJobPhase(client, UpgradeJobFlags.progress(err, "dry-run: "), jobSettings));
      }
      outcome = setup.build().run(progress);
    }
    output.print(spec.commandLine().getOut(), outcome.summary(), outcome.text());
    return outcome.exitCode();
  }

  /** The strategies' names, for picocli's help and shell completion. */
  static final class StrategyIds implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return DryRunSetup.Strategy.ids().iterator();
    }
  }

  /** {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d} or {@code PT5M}: the core's grammar. */
  static final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      try {
        return DurationText.parse(value, null);
      } catch (ReleaseException e) {
        throw new picocli.CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }
}
