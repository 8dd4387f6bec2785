package io.odoogitops.dryrun.upgrade;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import io.odoogitops.dryrun.OdooSourceDatabase;
import io.odoogitops.image.ImageArchive;
import io.odoogitops.dryrun.clone.PgEndpoint;
import io.odoogitops.testing.Prerequisites;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;

/**
 * The container runner against a real Docker engine, with a stand-in {@code odoo} (a shell script on the official
 * PostgreSQL image, so it has {@code psql}) that logs in Odoo's format and queries the database through the PG*
 * environment. Needs Docker: where there is none it is reported as skipped with the reason (on a CI agent too, where
 * the reason is also printed, because this project's CI has no Docker engine by design); set
 * {@code ODOO_GITOPS_REQUIRE_DOCKER=true} to make a missing engine fail it. Without Docker the runner's refusal, its
 * command line, environment, archive checks and judgement are covered by {@link ContainerOdooUpgradeTest}.
 */
class ContainerOdooUpgradeIT {

  private static final String STAND_IN_TAG = "odoo-gitops-it/stand-in-odoo:1";
  private static final String STAND_IN = """
      #!/bin/sh
      # Stand-in for odoo -u: Odoo's log format on stderr, the clone reached through libpq's environment only.
      all="$*"
      db=""; mods=""
      while [ $# -gt 0 ]; do
        case "$1" in -d) db="$2"; shift;; -u) mods="$2"; shift;; esac
        shift
      done
      log() { printf '%s,000 %s %s %s %s: %s \\n' "$(date -u '+%Y-%m-%d %H:%M:%S')" "$$" "$1" "$db" "$2" "$3" >&2; }
      log INFO odoo.modules.loading "loading 2 modules..."
      log INFO odoo.modules.loading "arguments: $all"
      case "$mods" in
        sleepy) sleep 600;;
        broken)
          log ERROR odoo.modules.registry "Failed to load registry"
          printf 'Traceback (most recent call last):\\n  File "x.py", line 1, in y\\nValueError: broken on purpose\\n' >&2
          exit 1;;
      esac
      log INFO odoo.modules.migration "module $mods: Running migration [>17.0.2.0] pre-migrate"
      rows=$(psql -d "$db" -tAc "SELECT count(*) FROM account_move_line") || exit 3
      log INFO "odoo.addons.$mods" "rows: $rows"
      log INFO odoo.modules.loading "Module $mods loaded in 0.25s, 1 queries"
      log INFO odoo.modules.loading "Modules loaded."
      """;

  private static Path archive;
  private static String pinned;

  @TempDir
  static Path work;

  /** Per test, so that each one is reported as skipped with the reason, not the class as zero tests. */
  @BeforeEach
  void standInImage() throws Exception {
    requireDocker();
    if (archive == null) {
      buildStandIn();
    }
  }

  private static void requireDocker() {
    boolean docker = DockerClientFactory.instance().isDockerAvailable();
    if (!docker) {
      String reason = "no Docker engine: the container runner's run path is not exercised here (its refusal, "
          + "command line, environment and judgement are, by ContainerOdooUpgradeTest)";
      if ("true".equalsIgnoreCase(System.getenv("ODOO_GITOPS_REQUIRE_DOCKER"))) {
        throw new AssertionError(reason + "; ODOO_GITOPS_REQUIRE_DOCKER=true asks for it");
      }
      if (Prerequisites.inCi()) {
        System.err.println("[ContainerOdooUpgradeIT] skipped on CI: " + reason);
      }
      org.junit.jupiter.api.Assumptions.assumeTrue(false, reason);
    }
  }

  private static void buildStandIn() throws Exception {
    DockerClient client = DockerClientFactory.instance().client();
    Path context = Files.createDirectories(work.resolve("context"));
    Files.writeString(context.resolve("odoo"), STAND_IN);
    Files.setPosixFilePermissions(context.resolve("odoo"), PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.writeString(context.resolve("Dockerfile"), """
        FROM postgres:16-alpine
        COPY odoo /usr/local/bin/odoo
        ENTRYPOINT ["/this-entrypoint-must-be-replaced"]
        """);
    client.buildImageCmd(context.toFile()).withTags(Set.of(STAND_IN_TAG)).exec(new BuildImageResultCallback())
        .awaitImageId();
    archive = work.resolve("stand-in.tar");
    try (InputStream saved = client.saveImageCmd("odoo-gitops-it/stand-in-odoo").withTag("1").exec()) {
      Files.copy(saved, archive);
    }
    ImageArchive read = ImageArchive.open(archive);
    pinned = "odoo-gitops-it/stand-in-odoo@" + (read.manifestDigest() ? read.digest() : "sha256:" + "0".repeat(64));
  }

  private final List<String> lines = new CopyOnWriteArrayList<>();

  private ContainerOdooUpgrade runner(Duration timeout) {
    return ContainerOdooUpgrade.builder().archive(archive).timeout(timeout).odooLog(lines::add).build();
  }

  private static PgEndpoint stagingClone() {
    return OdooSourceDatabase.shared().smallSource();
  }

  @Test
  void theUpgradeRunsTheImageAgainstTheCloneStreamsItsLogAndIsRemoved() {
    OdooUpgradeRun run = runner(Duration.ofMinutes(2))
        .run(new OdooUpgradeTarget(pinned, stagingClone(), List.of("shop_custom")));

    assertThat(run.outcome()).as(run.detail()).isEqualTo("SUCCEEDED");
    assertThat(run.exitCode()).isZero();
    assertThat(run.log().module("shop_custom")).hasValueSatisfying(module -> {
      assertThat(module.duration()).isEqualTo(Duration.ofMillis(250));
      assertThat(module.scripts()).extracting(s -> s.stage() + " " + s.version() + " " + s.script()).containsExactly("pre 17.0.2.0 pre-migrate");
    });
    assertThat(lines).anyMatch(line -> line.contains("rows: " + OdooSourceDatabase.SMALL_ROWS));
    assertThat(lines).anyMatch(line -> line.contains("arguments: -d " + stagingClone().database()
        + " -u shop_custom --stop-after-init --workers=0 --no-http"));
    assertThat(lines).noneMatch(line -> line.contains(OdooSourceDatabase.PASSWORD));
    assertThat(containersNamed(run.job())).as("removed").isEmpty();
  }

  @Test
  void aFailingUpgradeFailsWithItsExceptionAndIsRemoved() {
    OdooUpgradeRun run = runner(Duration.ofMinutes(2)).run(new OdooUpgradeTarget(pinned, stagingClone(), List.of("broken")));

    assertThat(run.outcome()).isEqualTo("FAILED");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.errorLines()).singleElement().asString().contains("Failed to load registry")
        .endsWith("| ValueError: broken on purpose");
    assertThat(containersNamed(run.job())).isEmpty();
  }

  @Test
  void anUpgradeOverItsTimeoutIsTimedOutAndRemoved() {
    long started = System.nanoTime();
    OdooUpgradeRun run = runner(Duration.ofSeconds(3)).run(new OdooUpgradeTarget(pinned, stagingClone(), List.of("sleepy")));

    assertThat(run.outcome()).isEqualTo("TIMED_OUT");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(60));
    assertThat(containersNamed(run.job())).isEmpty();
  }

  private static List<?> containersNamed(String name) {
    return DockerClientFactory.instance().client().listContainersCmd().withShowAll(true)
        .withLabelFilter(Map.of(ContainerOdooUpgrade.RUN_LABEL, name)).exec();
  }
}
