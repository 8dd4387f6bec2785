package io.odoogitops.dryrun.upgrade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.odoogitops.ImageDigest;
import io.odoogitops.ReleaseException;
import io.odoogitops.dryrun.clone.PgEndpoint;
import io.odoogitops.image.BaseArchive;
import io.odoogitops.image.ImageArchive;
import io.odoogitops.image.ImageConfig;
import io.odoogitops.odoo.log.OdooLogReader;
import io.odoogitops.odoo.log.OdooUpgradeLog;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIf;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.testcontainers.DockerClientFactory;

/**
 * The container runner without Docker, which is every machine of this project's CI: the refusal, the command line
 * and environment, the network choice, the archive checks, the log's line assembly and the judgement. The run
 * itself is covered by {@link ContainerOdooUpgradeIT} where a Docker engine exists.
 */
class ContainerOdooUpgradeTest {

  private static final String PASSWORD = "s3cret-Pa55";
  private static final ImageDigest DIGEST = new ImageDigest("sha256:" + "d".repeat(64));
  private static final String IMAGE = "registry.example.com/shop/odoo@" + DIGEST;
  private static final PgEndpoint CLONE = new PgEndpoint("127.0.0.1", 54_321, "odoo_gitops_dryrun_1", "clone_owner",
      PASSWORD);

  @TempDir
  Path dir;

  @Test
  void withoutDockerItRefusesBeforeAnythingIsMade() {
    assertThatThrownBy(() -> ContainerOdooUpgrade.builder().dockerAvailable(() -> false).build())
        .isInstanceOf(ReleaseException.class)
        .hasMessage("no Docker engine: use --odoo-bin for a local process or --upgrade-job for a Kubernetes Job")
        .extracting(e -> ((ReleaseException) e).kind()).isEqualTo(ReleaseException.Kind.INFRASTRUCTURE);
    assertThatThrownBy(() -> ContainerOdooUpgrade.check(() -> false)).hasMessageStartingWith("no Docker engine");
  }

  /** The real probe, on a machine without Docker: it answers (no hang, no stack trace) and the refusal follows. */
  @Test
  @DisabledIf("dockerAvailable")
  void theRealDockerProbeRefusesOnThisMachine() {
    assertThatThrownBy(ContainerOdooUpgrade::check).isInstanceOf(ReleaseException.class)
        .hasMessageStartingWith("no Docker engine");
    assertThatThrownBy(() -> ContainerOdooUpgrade.builder().timeout(Duration.ofMinutes(5)).build())
        .isInstanceOf(ReleaseException.class).hasMessageStartingWith("no Docker engine");
  }

  static boolean dockerAvailable() {
    return DockerClientFactory.instance().isDockerAvailable();
  }

  @Test
  void badConfigurationIsRefusedBeforeDockerIsAsked() throws IOException {
    assertThatThrownBy(() -> ContainerOdooUpgrade.builder().timeout(Duration.ofMillis(500))
        .dockerAvailable(() -> true).build())
        .hasMessageContaining("at least one second")
        .extracting(e -> ((ReleaseException) e).kind()).isEqualTo(ReleaseException.Kind.BAD_INPUT);
    assertThatThrownBy(() -> ContainerOdooUpgrade.builder().archive(dir.resolve("missing.tar"))
        .dockerAvailable(() -> false).build())
        .hasMessageContaining("does not exist or is not a regular file");
  }

  @Test
  void theCommandLineCarriesNoCredentialsAndTheEnvironmentCarriesThem() {
    OdooUpgradeTarget upgrade = new OdooUpgradeTarget(IMAGE, CLONE, List.of("sale_custom", "stock_pallet"));
    OdooUpgradeTarget withInstall = new OdooUpgradeTarget(IMAGE, CLONE, List.of("sale_custom"),
        List.of("delivery_pallet"));

    assertThat(ContainerOdooUpgrade.odooArguments(upgrade)).containsExactly("-d", "odoo_gitops_dryrun_1",
        "-u", "sale_custom,stock_pallet", "--stop-after-init", "--workers=0", "--no-http");
    assertThat(ContainerOdooUpgrade.odooArguments(withInstall)).containsExactly("-d", "odoo_gitops_dryrun_1",
        "-u", "sale_custom", "-i", "delivery_pallet", "--stop-after-init", "--workers=0", "--no-http");
    assertThat(String.join(" ", ContainerOdooUpgrade.odooArguments(withInstall)))
        .doesNotContain(PASSWORD).doesNotContain("clone_owner").doesNotContain("54321").doesNotContain("db_");

    Map<String, String> env = ContainerOdooUpgrade.environment(CLONE, ContainerOdooUpgrade.network(CLONE, true));
    assertThat(env).containsExactly(Map.entry("PGHOST", "127.0.0.1"), Map.entry("PGPORT", "54321"),
        Map.entry("PGUSER", "clone_owner"), Map.entry("PGPASSWORD", PASSWORD));

    PgEndpoint trusting = new PgEndpoint("10.1.2.3", 5432, "c", "odoo", null);
    assertThat(ContainerOdooUpgrade.environment(trusting, ContainerOdooUpgrade.network(trusting, false)))
        .doesNotContainKey("PGPASSWORD").containsEntry("PGHOST", "10.1.2.3");
  }

  @Test
  void aTargetThatIsNotPinnedOrNotOdooIsBadInput() {
    assertBad(new OdooUpgradeTarget("registry.example.com/shop/odoo:17.0", CLONE, List.of("sale")),
        "must be pinned by digest");
    assertBad(new OdooUpgradeTarget(IMAGE, CLONE, List.of("sale; rm -rf /")), "is not an Odoo module name");
    assertBad(new OdooUpgradeTarget(IMAGE, CLONE, List.of("sale"), List.of("--db_host=evil")),
        "is not an Odoo module name");
    assertBad(new OdooUpgradeTarget(IMAGE, CLONE, List.of()), "no modules to upgrade or install");
    assertBad(new OdooUpgradeTarget(IMAGE, CLONE.withDatabase("-i base"), List.of("sale")),
        "is not a valid Odoo database name");
    assertThat(ContainerOdooUpgrade.validate(new OdooUpgradeTarget(IMAGE, CLONE, List.of("sale")))).isEqualTo(DIGEST);
  }

  private static void assertBad(OdooUpgradeTarget target, String message) {
    assertThatThrownBy(() -> ContainerOdooUpgrade.validate(target)).isInstanceOf(ReleaseException.class)
        .hasMessageContaining(message)
        .extracting(e -> ((ReleaseException) e).kind()).isEqualTo(ReleaseException.Kind.BAD_INPUT);
  }

  @Test
  void theCloneIsReachedThroughTheHostNetworkOnLinuxAndThroughTheGatewayElsewhere() {
    assertThat(ContainerOdooUpgrade.network(CLONE, true))
        .isEqualTo(new ContainerOdooUpgrade.Network("host", "127.0.0.1", null));
    assertThat(ContainerOdooUpgrade.network(new PgEndpoint("localhost", 5432, "c", "u", null), false))
        .isEqualTo(new ContainerOdooUpgrade.Network("bridge", "host.docker.internal",
            "host.docker.internal:host-gateway"));
    assertThat(ContainerOdooUpgrade.network(new PgEndpoint("staging-pg.internal", 5432, "c", "u", null), false))
        .isEqualTo(new ContainerOdooUpgrade.Network("bridge", "staging-pg.internal", null));

    assertThat(ContainerOdooUpgrade.hostNetworkShared("Linux", "Ubuntu 24.04 LTS")).isTrue();
    assertThat(ContainerOdooUpgrade.hostNetworkShared("Linux", "Docker Desktop")).isFalse();
    assertThat(ContainerOdooUpgrade.hostNetworkShared("Mac OS X", "Docker Desktop")).isFalse();
  }

  static Stream<Arguments> judgements() {
    OdooUpgradeLog clean = log(line("INFO", "odoo.modules.loading", "Module sale loaded in 1.00s, 3 queries"));
    OdooUpgradeLog failing = log(line("INFO", "odoo.modules.loading", "loading 3 modules..."),
        line("CRITICAL", "odoo.service.server", "Failed to initialize database `c`."));
    return Stream.of(
        Arguments.of("timeout", null, true, clean, "TIMED_OUT", "did not finish within PT5M"),
        Arguments.of("non-zero exit", 1, false, failing, "FAILED",
            "odoo exited with code 1; first error: 2026-11-23 09:00:00,000 1 CRITICAL"),
        Arguments.of("killed", 137, false, clean, "FAILED", "odoo exited with code 137"),
        Arguments.of("not an Odoo image", 0, false, log("hello from busybox"), "FAILED",
            "without writing a single Odoo log line"),
        Arguments.of("exit 0 with errors", 0, false, failing, "LOG_ERRORS", "logged 1 ERROR/CRITICAL line(s)"),
        Arguments.of("success", 0, false, clean, "SUCCEEDED", null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("judgements")
  void theJobsRulesJudgeTheRun(String why, Integer exitCode, boolean timedOut, OdooUpgradeLog log, String outcome,
      String detail) {
    ContainerOdooUpgrade.Judgement judgement = ContainerOdooUpgrade.judge(exitCode, timedOut, log,
        Duration.ofMinutes(5), IMAGE);

    assertThat(judgement.outcome()).isEqualTo(outcome);
    if (detail == null) {
      assertThat(judgement.detail()).isNull();
    } else {
      assertThat(judgement.detail()).contains(detail);
    }
  }

  @Test
  void logFramesBecomeLinesWhateverTheirBoundaries() {
    List<String> lines = new ArrayList<>();
    ContainerOdooUpgrade.LineAssembler assembler = new ContainerOdooUpgrade.LineAssembler();
    byte[] text = (line("INFO", "odoo", "libellé « Montant » 金额") + "\n" + line("INFO", "odoo", "second")
        + "\r\nno newline at the end").getBytes(StandardCharsets.UTF_8);
    // one byte per frame: a multi-byte character arrives in pieces
    for (byte b : text) {
      assembler.feed(new byte[] {b}, lines::add);
    }
    assembler.flush(lines::add);

    assertThat(lines).containsExactly(line("INFO", "odoo", "libellé « Montant » 金额"),
        line("INFO", "odoo", "second") + "\r", "no newline at the end");
  }

  @Test
  void anEndlessLineKeepsItsStartOnly() {
    List<String> lines = new ArrayList<>();
    ContainerOdooUpgrade.LineAssembler assembler = new ContainerOdooUpgrade.LineAssembler();
    byte[] chunk = "z".repeat(1_000_000).getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i < 20; i++) {
      assembler.feed(chunk, lines::add);
    }
    assembler.feed("\nnext\n".getBytes(StandardCharsets.US_ASCII), lines::add);

    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).hasSize(ContainerOdooUpgrade.MAX_LINE_BYTES);
    assertThat(lines.get(1)).isEqualTo("next");
  }

  @Test
  void anOciArchiveIsReadAndMustHoldTheJudgedImage() throws IOException {
    Path archive = ociArchive(dir.resolve("image.tar"), "registry.example.com/shop/odoo:1.4.0");
    ImageArchive read = ImageArchive.open(archive);

    assertThat(read.format()).isEqualTo("oci");
    assertThat(read.name()).isEqualTo("registry.example.com/shop/odoo:1.4.0");
    assertThat(read.configDigest().value()).startsWith("sha256:");
    assertThat(read.manifestDigest()).isTrue();
    ImageDigest manifestDigest = read.digest();
    ContainerOdooUpgrade.requireSameImage(read, manifestDigest);
    assertThatThrownBy(() -> ContainerOdooUpgrade.requireSameImage(read, DIGEST))
        .isInstanceOf(ReleaseException.class)
        .hasMessageContaining("holds " + manifestDigest + ", not the image " + DIGEST);
    assertThat(read.loadedReferences()).containsExactly(read.configDigest().value(), "registry.example.com/shop/odoo:1.4.0");
  }

  @Test
  void aDockerSaveArchiveIsReadByItsConfigurationDigest() throws IOException {
    Path rootfs = Files.createDirectories(dir.resolve("rootfs/usr/bin"));
    Files.writeString(rootfs.resolve("odoo"), "#!/bin/sh\n");
    ImageConfig config = ImageConfig.builder().entrypoint(List.of("/entrypoint.sh")).command(List.of("odoo")).build();
    BaseArchive written = BaseArchive.write(dir.resolve("rootfs"), "odoo-gitops/demo:17.0", config,
        dir.resolve("docker.tar"));

    ImageArchive read = ImageArchive.open(written.file());

    assertThat(read.format()).isEqualTo("docker");
    assertThat(read.configDigest()).isEqualTo(written.configDigest());
    assertThat(read.manifestDigest()).isFalse();
    assertThat(read.name()).isEqualTo("odoo-gitops/demo:17.0");
    ContainerOdooUpgrade.requireSameImage(read, DIGEST);
  }

  @Test
  void brokenArchivesAreBadInput() throws IOException {
    Path notTar = Files.writeString(dir.resolve("not.tar"), "definitely not a tar archive, just text");
    assertThatThrownBy(() -> ImageArchive.open(notTar)).isInstanceOf(ReleaseException.class)
        .hasMessageContaining(notTar.toString());
    assertThatThrownBy(() -> ImageArchive.open(dir)).hasMessageContaining("not a regular file");
    Path link = Files.createSymbolicLink(dir.resolve("link.tar"), ociArchive(dir.resolve("real.tar"), null));
    assertThatThrownBy(() -> ImageArchive.open(link)).hasMessageContaining("not a regular file");

    Path empty = dir.resolve("empty.tar");
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(empty))) {
      add(tar, "hello.txt", "hi".getBytes(StandardCharsets.UTF_8));
    }
    assertThatThrownBy(() -> ImageArchive.open(empty)).hasMessageContaining("neither index.json");

    Path corrupt = dir.resolve("corrupt.tar");
    writeOci(corrupt, null, true);
    assertThatThrownBy(() -> ImageArchive.open(corrupt)).hasMessageContaining("does not hash to the digest naming it");
  }

  private static Path ociArchive(Path file, String name) throws IOException {
    writeOci(file, name, false);
    return file;
  }

  /** A minimal OCI image layout: oci-layout, index.json, the manifest and configuration blobs (no layer). */
  private static void writeOci(Path file, String name, boolean corruptConfig) throws IOException {
    ObjectMapper json = new ObjectMapper();
    byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}"
        .getBytes(StandardCharsets.UTF_8);
    String configDigest = sha256(config);
    Map<String, Object> manifestMap = new LinkedHashMap<>();
    manifestMap.put("schemaVersion", 2);
    manifestMap.put("mediaType", "application/vnd.oci.image.manifest.v1+json");
    manifestMap.put("config", Map.of("mediaType", "application/vnd.oci.image.config.v1+json",
        "digest", configDigest, "size", config.length));
    manifestMap.put("layers", List.of());
    byte[] manifest = json.writeValueAsBytes(manifestMap);
    String manifestDigest = sha256(manifest);
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("mediaType", "application/vnd.oci.image.manifest.v1+json");
    entry.put("digest", manifestDigest);
    entry.put("size", manifest.length);
    if (name != null) {
      entry.put("annotations", Map.of("org.opencontainers.image.ref.name", name));
    }
    byte[] index = json.writeValueAsBytes(Map.of("schemaVersion", 2, "manifests", List.of(entry)));
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(file))) {
      add(tar, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
      add(tar, "index.json", index);
      add(tar, "blobs/sha256/" + manifestDigest.substring(7), manifest);
      byte[] stored = corruptConfig ? "{\"os\":\"tampered\"}".getBytes(StandardCharsets.UTF_8) : config;
      add(tar, "blobs/sha256/" + configDigest.substring(7), stored);
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return "sha256:" + java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
          .digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void add(TarArchiveOutputStream tar, String name, byte[] bytes) throws IOException {
    TarArchiveEntry entry = new TarArchiveEntry(name);
    entry.setSize(bytes.length);
    entry.setModTime(Instant.EPOCH.toEpochMilli());
    tar.putArchiveEntry(entry);
    OutputStream out = tar;
    out.write(bytes);
    tar.closeArchiveEntry();
  }

  private static OdooUpgradeLog log(String... lines) {
    OdooLogReader reader = new OdooLogReader();
    for (String line : lines) {
      reader.accept(Instant.EPOCH, line);
    }
    return reader.summary();
  }

  private static String line(String level, String logger, String message) {
    return "2026-11-23 09:00:00,000 1 " + level + " c " + logger + ": " + message;
  }
}
