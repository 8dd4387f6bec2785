package io.odoogitops.jenkins.dryrun;

import hudson.model.TaskListener;
import io.odoogitops.dryrun.setup.DryRunOutcome;
import io.odoogitops.dryrun.setup.DryRunSetup;
import io.odoogitops.jenkins.step.WorkspaceCallable;
import java.io.File;
import java.io.Serial;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs on the agent, in the workspace: the core's {@link DryRunSetup} (the same front door as the CLI's), with paths
 * relative to the workspace, and returns its summary in plain values with paths relative to the workspace.
 */
final class DryRunCallable extends WorkspaceCallable<Map<String, Object>> {

  @Serial
  private static final long serialVersionUID = 1L;

  private final DryRunSettings settings;

  DryRunCallable(DryRunSettings settings, TaskListener listener) {
    super(listener);
    this.settings = settings;
  }

  @Override
  protected List<String> secrets() {
    return List.of(settings.password());
  }

  @Override
  protected Map<String, Object> work(Path root, Consumer<String> log) {
    DryRunSetup.Builder setup = DryRunSetup.builder()
        .baseDirectory(root)
        .source(settings.sourceUrl(), settings.user(), settings.password())
        .strategy(settings.strategy())
        .containerImage(settings.containerImage())
        .stagingAdminDatabase(settings.stagingAdminDatabase())
        .image(settings.image(), settings.digest())
        .migrations(settings.migrations())
        .maxDuration(settings.maxDuration())
        .maxAccessExclusive(settings.maxAccessExclusive())
        .largeTableRows(settings.largeTableRows())
        .forbid(settings.forbid())
        .requireRollbackSafe(settings.requireRollbackSafe())
        .reportDir(Path.of(settings.reportDir()))
        .upgradeContainer(settings.upgradeContainer())
        .imageArchive(settings.imageArchive() == null ? null : Path.of(settings.imageArchive()))
        .odooTimeout(settings.odooTimeout())
        .odooBin(settings.odooBin() == null ? null : Path.of(settings.odooBin()))
        .odooArgs(settings.odooArgs())
        .requireOdooUpgrade(settings.requireOdooUpgrade())
        .maxRowsRewritten(settings.maxRowsRewritten())
        .maxWriteBlocking(settings.maxWriteBlocking())
        .lockSampleInterval(settings.lockSampleInterval());
    settings.neutralizeSql().forEach(file -> setup.neutralizationScript(Path.of(file)));
    DryRunOutcome outcome = setup.build().run(line -> log.accept("dry-run: " + line));
    return outcome.plainSummary(file -> relative(root, file));
  }

  private static String relative(Path root, Path file) {
    return root.toAbsolutePath().normalize().relativize(file.toAbsolutePath().normalize()).toString()
        .replace(File.separatorChar, '/');
  }
}
