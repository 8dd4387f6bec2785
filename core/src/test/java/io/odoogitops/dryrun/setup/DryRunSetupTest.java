package io.odoogitops.dryrun.setup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.odoogitops.ImageDigest;
import io.odoogitops.ReleaseException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIf;
import org.junit.jupiter.api.io.TempDir;
import io.odoogitops.dryrun.upgrade.LocalOdooUpgrade;
import io.odoogitops.image.TestImages;
import org.testcontainers.DockerClientFactory;

/**
 * What the front door refuses before anything touches the source (issue 14, item 8). The source is a real listening
 * socket on loopback that counts the connections it accepts: every refusal here must leave it at zero, which proves the
 * check came before the sweep, the clone and any version probe.
 */
class DryRunSetupTest {

  static final ImageDigest DIGEST = new ImageDigest("sha256:" + "ab".repeat(32));

  @TempDir
  Path dir;

  private ServerSocket source;
  private final AtomicInteger contacts = new AtomicInteger();
  private Thread acceptor;

  @BeforeEach
  void listen() throws IOException {
    source = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    acceptor = new Thread(() -> {
      while (!source.isClosed()) {
        try (Socket ignored = source.accept()) {
          contacts.incrementAndGet();
        } catch (IOException closed) {
          return;
        }
      }
    });
    acceptor.setDaemon(true);
    acceptor.start();
  }

  @AfterEach
  void close() throws Exception {
    source.close();
    acceptor.join(5_000);
  }

  /** Every option valid, pointing at the counting socket; each test breaks one thing. */
  private DryRunSetup.Builder valid() throws IOException {
    Path migrations = Files.createDirectories(dir.resolve("sql"));
    return DryRunSetup.builder()
        .baseDirectory(dir)
        .source("jdbc:postgresql://127.0.0.1:" + source.getLocalPort() + "/odoo", "release", "s3cret")
        .migration(migrations.toString())
        .image("registry.example.com/acme/odoo", DIGEST)
        .workDir(dir.resolve("work"))
        .reportDir(dir.resolve("reports"));
  }

  private AbstractThrowableAssert<?, ? extends Throwable> refused(UnaryOperator<DryRunSetup.Builder> broken)
      throws IOException {
    DryRunSetup.Builder builder = broken.apply(valid());
    var thrown = assertThatThrownBy(() -> builder.build().run(line -> { }));
    thrown.isInstanceOf(ReleaseException.class)
        .extracting(e -> ((ReleaseException) e).kind()).isEqualTo(ReleaseException.Kind.BAD_INPUT);
    assertThat(contacts).as("connections to the source").hasValue(0);
    assertThat(dir.resolve("reports")).as("no report directory left behind").doesNotExist();
    return thrown;
  }

  @Test
  void theValidSetupReallyReachesTheSource() throws Exception {
    // the control: without a mistake the run does connect (and fails on the socket, which speaks no PostgreSQL)
    DryRunSetup setup = valid().strategy("dump").staging("jdbc:postgresql://127.0.0.1:" + source.getLocalPort()
        + "/postgres", null, null).build();
    assertThatThrownBy(() -> setup.run(line -> { })).isInstanceOf(ReleaseException.class);
    assertThat(contacts.get()).isPositive();
  }

  @Test
  void aMissingMigrationDirectory() throws Exception {
    refused(b -> b.migration("addons/shop/migrations/sql"))
        .hasMessageContaining("migration location " + dir.resolve("addons/shop/migrations/sql"))
        .hasMessageContaining("is not a directory");
    refused(b -> b.migration("filesystem:missing")).hasMessageContaining(dir.resolve("missing").toString());
  }

  @Test
  void aMissingUnreadableOrOddNeutralizationScript() throws Exception {
    refused(b -> b.neutralizationScript(Path.of("anonymize.sql")))
        .hasMessageContaining("neutralization script " + dir.resolve("anonymize.sql") + " does not exist");
    Path directory = Files.createDirectories(dir.resolve("scripts"));
    refused(b -> b.neutralizationScript(directory)).hasMessageContaining("is a directory, not a regular file");
    Path huge = dir.resolve("huge.sql");
    try (RandomAccessFile file = new RandomAccessFile(huge.toFile(), "rw")) {
      file.setLength(DryRunSetup.MAX_NEUTRALIZATION_SCRIPT_BYTES + 1);
    }
    refused(b -> b.neutralizationScript(huge)).hasMessageContaining("is larger than 64 MiB");
  }

  @Test
  void aFifoIsRefusedInsteadOfHangingTheRun() throws Exception {
    Path fifo = dir.resolve("neutralize.fifo");
    Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assertThat(mkfifo.waitFor()).isZero();
    refused(b -> b.neutralizationScript(fifo)).hasMessageContaining("a FIFO, device or socket, not a regular file");
  }

  @Test
  void aReportDirectoryThatCannotBeWritten() throws Exception {
    Path file = Files.writeString(dir.resolve("a-file"), "x");
    refused(b -> b.reportDir(file.resolve("reports"))).hasMessageContaining("report directory")
        .hasMessageContaining(file + " is a file");
    refused(b -> b.reportDir(file)).hasMessageContaining("is a file");
  }

  @Test
  void strategyAndStagingMistakes() throws Exception {
    refused(b -> b.strategy("snapshot"))
        .hasMessageContaining("unknown clone strategy 'snapshot'; use one of [embedded, template, dump, container]");
    refused(b -> b.containerImage("postgres:16"))
        .hasMessageContaining("--container-image only applies to --strategy container, not embedded");
    refused(b -> b.strategy("dump")).hasMessageContaining("--strategy dump needs --staging-url");
    // the template strategy's clone is made on the staging server, so the source must be on it: known from the URLs
    refused(b -> b.strategy("template").staging("jdbc:postgresql://127.0.0.2:5432/postgres", null, null))
        .hasMessageContaining("is not the staging server 127.0.0.2:5432");
    refused(b -> b.pgBinDir(dir.resolve("no-bin"))).hasMessageContaining("--pg-bin-dir");
    Path file = Files.writeString(dir.resolve("work-file"), "x");
    refused(b -> b.workDir(file)).hasMessageContaining("work directory");
  }

  @Test
  void imageAndPolicyMistakes() throws Exception {
    refused(b -> b.image("registry.example.com/acme/odoo", null)).hasMessageContaining("not sha256:<64 hex>");
    refused(b -> b.forbid(List.of("no-such-rule"))).hasMessageContaining("unknown lint rule 'no-such-rule'");
    refused(b -> b.maxDuration(Duration.ofSeconds(-1))).hasMessageContaining("must not be negative");
    refused(b -> b.imageModules(Path.of("modules.json"))).hasMessageContaining("needs --odoo-series");
    refused(b -> b.odooSeries("17.0").imageModules(Path.of("modules.json")))
        .hasMessageContaining("image modules file " + dir.resolve("modules.json"));
    refused(b -> b.addons(List.of(dir)).imageModules(Path.of("modules.json"))).hasMessageContaining("not both");
    refused(b -> b.source("jdbc:postgresql://user:pw@127.0.0.1/odoo", "release", null))
        .hasMessageContaining("carries credentials");
  }

  @Test
  void upgradeRunnerMistakes() throws Exception {
    refused(b -> b.upgradeContainer(true).image(null, DIGEST))
        .hasMessageContaining("--upgrade-container needs --image");
    refused(b -> b.upgradeContainer(true).imageArchive(Path.of("image.tar")))
        .hasMessageContaining("image archive " + dir.resolve("image.tar") + " does not exist");
    refused(b -> b.upgradeContainer(true).upgradePhase(target -> null)).hasMessageContaining("choose one odoo -u");
    refused(b -> b.odooTimeout(Duration.ofMinutes(5))).hasMessageContaining("--odoo-timeout applies to");
    refused(b -> b.imageArchive(Path.of("image.tar")))
        .hasMessageContaining("image archive " + dir.resolve("image.tar"));
  }

  @Test
  void theLocalRunnerIsCheckedUpFrontAndWorksWithEmbeddedClonesAndNoMigrations() throws Exception {
    refused(b -> b.odooBin(Path.of("odoo-bin"))).hasMessageContaining("--odoo-bin " + dir.resolve("odoo-bin")
        + " does not exist");
    refused(b -> b.odooArgs(List.of("-c", "/etc/odoo.conf"))).hasMessageContaining("--odoo-arg only applies");
    Path odoo = Files.writeString(dir.resolve("odoo"), "#!/bin/sh\n");
    Files.setPosixFilePermissions(odoo, PosixFilePermissions.fromString("rw-r--r--"));
    refused(b -> b.odooBin(odoo)).hasMessageContaining("is not executable");
    Files.setPosixFilePermissions(odoo, PosixFilePermissions.fromString("rwxr-xr-x"));
    refused(b -> b.odooBin(odoo).upgradeContainer(true)).hasMessageContaining("choose one odoo -u runner");
    refused(b -> b.odooBin(odoo).upgradePhase(target -> null)).hasMessageContaining("choose one odoo -u runner");
    refused(b -> b.odooBin(odoo).odooArgs(List.of("--db_password=x"))).hasMessageContaining("set by the dry-run");
    refused(b -> b.maxRowsRewritten(1.5)).hasMessageContaining("max rows rewritten must be a share");
    refused(b -> b.lockSampleInterval(Duration.ofMillis(500))).hasMessageContaining("lock sample interval");
    refused(b -> b.maxWriteBlocking(Duration.ofSeconds(-1))).hasMessageContaining("must not be negative");

    DryRunSetup.Builder builder = DryRunSetup.builder().baseDirectory(dir)
        .source("jdbc:postgresql://127.0.0.1:" + source.getLocalPort() + "/odoo", "release", null)
        .image(null, DIGEST).reportDir(Path.of("reports"))
        .odooBin(Path.of("odoo")).odooArgs(List.of("-c", "/etc/odoo.conf")).odooTimeout(Duration.ofMinutes(5))
        .requireOdooUpgrade(true).maxRowsRewritten(0.25).lockSampleInterval(Duration.ofMillis(50))
        .maxWriteBlocking(Duration.ofSeconds(12));
    DryRunSetup setup = builder.build();
    assertThat(setup.request().upgradePhase()).isInstanceOf(LocalOdooUpgrade.class)
        .satisfies(phase -> assertThat(((LocalOdooUpgrade) phase).odooBin()).isEqualTo(odoo));
    assertThat(setup.request().strategy().name()).isEqualTo("embedded");
    assertThat(setup.request().migrations().locations()).isEmpty();
    assertThat(setup.request().policy().requireOdooUpgrade()).isTrue();
    assertThat(setup.request().policy().maxRowsRewritten()).isEqualTo(0.25);
    assertThat(setup.request().policy().lockSampleInterval()).isEqualTo(Duration.ofMillis(50));
    assertThat(setup.request().policy().maxWriteBlocking()).isEqualTo(Duration.ofSeconds(12));
    assertThat(contacts).hasValue(0);
  }

  @Test
  void sharesAsPeopleTypeThem() {
    assertThat(ShareText.parse("50%", "x")).isEqualTo(0.5);
    assertThat(ShareText.parse(" 0.25 ", "x")).isEqualTo(0.25);
    assertThatThrownBy(() -> ShareText.parse("NaN", "--max-rows-rewritten")).isInstanceOf(ReleaseException.class)
        .hasMessage("--max-rows-rewritten 'NaN' is not a share like 50% or 0.5");
    assertThatThrownBy(() -> ShareText.parse("half", "x")).isInstanceOf(ReleaseException.class);
  }

  /** Where Docker exists, ContainerOdooUpgradeIT runs the runner; here its refusal before any contact is proven. */
  @Test
  @DisabledIf("dockerAvailable")
  void theContainerRunnerWithoutDockerIsInfrastructureBeforeAnyContact() throws Exception {
    DryRunSetup.Builder builder = valid().upgradeContainer(true);
    assertThatThrownBy(builder::build).isInstanceOf(ReleaseException.class)
        .hasMessageContaining("no Docker engine")
        .extracting(e -> ((ReleaseException) e).kind()).isEqualTo(ReleaseException.Kind.INFRASTRUCTURE);
    assertThat(contacts).hasValue(0);
  }

  static boolean dockerAvailable() {
    return DockerClientFactory.instance().isDockerAvailable();
  }

  /** With the image, Odoo's own neutralize.sql files are read from it, after the addons directories. */
  @Test
  void theImageArchiveAndTheAddonsAreTheNeutralizationSources() throws Exception {
    Path addons = Files.createDirectories(dir.resolve("addons"));
    Files.createDirectories(addons.resolve("shop_ext"));
    Files.writeString(addons.resolve("shop_ext/__manifest__.py"), "{'name': 'Shop', 'version': '17.0.1.0.0',"
        + " 'depends': ['base'], 'license': 'LGPL-3'}\n");
    Path archive = TestImages.dockerSave(dir.resolve("image.tar"), List.of(),
        TestImages.layer().file("usr/lib/python3/dist-packages/odoo/addons/base/__manifest__.py", "{}"));
    DryRunSetup setup = valid().addons(List.of(Path.of("addons"))).odooSeries("17.0")
        .imageArchive(Path.of("image.tar")).build();
    assertThat(setup.request().moduleSources().addonsDirs()).containsExactly(addons);
    assertThat(setup.request().moduleSources().imageArchives()).containsExactly(archive);
    assertThat(contacts).hasValue(0);

    assertThat(valid().addons(List.of(addons)).odooSeries("17.0").build().request().moduleSources())
        .as("addons alone hold no Odoo module: the built-in steps run").isNull();
  }

  @Test
  void locationsAreReadAgainstTheBaseDirectoryWhateverTheWorkingDirectory() {
    Path base = dir.resolve("workspace");
    assertThat(MigrationLocations.resolve("addons/shop/sql", base))
        .isEqualTo("filesystem:" + base.resolve("addons/shop/sql"));
    assertThat(MigrationLocations.resolve("filesystem:db/../sql", base)).isEqualTo("filesystem:" + base.resolve("sql"));
    assertThat(MigrationLocations.resolve("filesystem:/abs/sql", base)).isEqualTo("filesystem:/abs/sql");
    assertThat(MigrationLocations.resolve("classpath:db/migration", base)).isEqualTo("classpath:db/migration");
    assertThat(MigrationLocations.resolve("/srv/sql", base)).isEqualTo("filesystem:/srv/sql");
    assertThatThrownBy(() -> MigrationLocations.resolve(" ", base)).isInstanceOf(ReleaseException.class)
        .hasMessageContaining("empty migration location");
  }

  @Test
  void strategiesByName() {
    assertThat(DryRunSetup.Strategy.ids()).containsExactly("embedded", "template", "dump", "container");
    assertThat(DryRunSetup.Strategy.parse("container")).isEqualTo(DryRunSetup.Strategy.CONTAINER);
  }

  @Test
  void durationsAsPeopleTypeThem() {
    assertThat(DurationText.parse("500ms", null)).isEqualTo(Duration.ofMillis(500));
    assertThat(DurationText.parse("90s", null)).isEqualTo(Duration.ofSeconds(90));
    assertThat(DurationText.parse(" 5m ", null)).isEqualTo(Duration.ofMinutes(5));
    assertThat(DurationText.parse("2h", null)).isEqualTo(Duration.ofHours(2));
    assertThat(DurationText.parse("1d", null)).isEqualTo(Duration.ofDays(1));
    assertThat(DurationText.parse("PT1M30S", null)).isEqualTo(Duration.ofSeconds(90));
    assertThatThrownBy(() -> DurationText.parse("5 minutes", "maxDuration")).isInstanceOf(ReleaseException.class)
        .hasMessage("maxDuration '5 minutes' is not a duration like 30s, 5m, 2h or PT5M");
    assertThatThrownBy(() -> DurationText.parse("PT-5M", null)).hasMessageStartingWith("'PT-5M' is not");
  }
}
