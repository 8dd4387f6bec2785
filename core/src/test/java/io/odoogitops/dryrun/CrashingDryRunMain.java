package io.odoogitops.dryrun;

import io.odoogitops.ImageDigest;
import io.odoogitops.dryrun.clone.CloneStrategy;
import io.odoogitops.dryrun.clone.DumpRestore;
import io.odoogitops.dryrun.clone.EmbeddedCloneStrategy;
import io.odoogitops.dryrun.clone.PgEndpoint;
import io.odoogitops.dryrun.clone.StagingServer;
import io.odoogitops.dryrun.clone.TemplateCloneStrategy;
import io.odoogitops.dryrun.migrate.MigrationSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A dry-run in a child JVM, for {@link DryRunCrashIT} to kill with SIGKILL while its migration sleeps. Arguments:
 * strategy (template|embedded), source port, source database, migrations directory, work directory.
 */
public final class CrashingDryRunMain {

  private CrashingDryRunMain() {
  }

  public static void main(String[] args) {
    int port = Integer.parseInt(args[1]);
    PgEndpoint source = new PgEndpoint("localhost", port, args[2], OdooSourceDatabase.USER,
        OdooSourceDatabase.PASSWORD);
    Path work = Path.of(args[4]);
    CloneStrategy strategy = args[0].equals("template")
        ? new TemplateCloneStrategy(new StagingServer(source.withDatabase("postgres"), Duration.ofSeconds(30)))
        : new EmbeddedCloneStrategy(work.resolve("clones"), new DumpRestore(Optional.empty(), 1, work.resolve("dumps")));
    new DryRun(DryRunRequest.builder()
        .source(source)
        .strategy(strategy)
        .runId("crash")
        .image(null, new ImageDigest("sha256:" + "cd".repeat(32)))
        .migrations(MigrationSettings.of(List.of("filesystem:" + args[3])))
        .build(), line -> {
          System.out.println(line);
          System.out.flush();
        }).run();
  }
}
