package io.odoogitops.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.odoogitops.ReleaseException;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Builds from a local base archive into an OCI archive: no registry, no Docker, nothing but the JVM. */
class ArchiveBaseBuildTest {

  static final String REVISION = "3ca6218e0d1f2a4b5c6d7e8f9a0b1c2d3e4f5a6b";
  static final ObjectMapper JSON = new ObjectMapper();
  static final ImageConfig ODOO_LIKE = ImageConfig.builder()
      .user("odoo")
      .entrypoint(List.of("/entrypoint.sh"))
      .command(List.of("odoo"))
      .environment("ODOO_RC", "/etc/odoo/odoo.conf")
      .environment("LANG", "C.UTF-8")
      .workingDirectory("/var/lib/odoo")
      .label("org.opencontainers.image.title", "stand-in Odoo base")
      .build();

  @TempDir Path dir;

  @Test
  void writesAReproducibleDockerSaveArchiveWithTheGivenRuntimeSettings() throws Exception {
    Path first = rootfs(dir.resolve("one"));
    Path second = rootfs(dir.resolve("elsewhere/two"));
    touchAll(second, FileTime.fromMillis(1_700_000_000_000L));

    BaseArchive a = BaseArchive.write(first, "odoo-gitops/demo-base:17.0", ODOO_LIKE, dir.resolve("a.tar"));
    BaseArchive b = BaseArchive.write(second, "odoo-gitops/demo-base:17.0", ODOO_LIKE, dir.resolve("b/b.tar"));

    assertThat(b.configDigest()).isEqualTo(a.configDigest());
    assertThat(Files.readAllBytes(dir.resolve("b/b.tar"))).isEqualTo(Files.readAllBytes(dir.resolve("a.tar")));
    assertThat(a.name()).hasValueSatisfying(name -> assertThat(name).endsWith("odoo-gitops/demo-base:17.0"));
    assertThat(BaseArchive.read(dir.resolve("a.tar"))).isEqualTo(a);

    Map<String, byte[]> files = tarFiles(dir.resolve("a.tar"));
    JsonNode manifest = JSON.readTree(files.get("manifest.json")).get(0);
    byte[] configBytes = files.get(manifest.get("Config").asText());
    assertThat(RegistryApi.sha256(configBytes)).as("the recorded digest is the configuration's")
        .isEqualTo(a.configDigest().value());
    JsonNode config = JSON.readTree(configBytes).get("config");
    assertThat(config.get("User").asText()).isEqualTo("odoo");
    assertThat(config.get("Entrypoint").toString()).isEqualTo("[\"/entrypoint.sh\"]");
    assertThat(config.get("Cmd").toString()).isEqualTo("[\"odoo\"]");
    assertThat(config.get("Env").toString()).isEqualTo("[\"LANG=C.UTF-8\",\"ODOO_RC=/etc/odoo/odoo.conf\"]");
    assertThat(config.get("WorkingDir").asText()).isEqualTo("/var/lib/odoo");
    assertThat(config.at("/Labels/org.opencontainers.image.title").asText()).isEqualTo("stand-in Odoo base");

    byte[] layer = files.get(manifest.get("Layers").get(0).asText());
    List<TarArchiveEntry> entries = new ArrayList<>();
    try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(
        new ByteArrayInputStream(layer)))) {
      for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
        entries.add(entry);
      }
    }
    assertThat(entries).extracting(TarArchiveEntry::getName)
        .contains("entrypoint.sh", "etc/odoo/", "var/lib/odoo/", "usr/bin/odoo");
    for (TarArchiveEntry entry : entries) {
      assertThat(entry.getModTime().getTime()).as(entry.getName()).isEqualTo(1000L);
      assertThat(entry.getLongUserId()).isZero();
    }
    assertThat(entries).filteredOn(e -> e.getName().equals("entrypoint.sh")).first()
        .satisfies(e -> assertThat(e.getMode() & 0777).isEqualTo(0755));
    assertThat(entries).filteredOn(e -> e.getName().equals("etc/odoo/odoo.conf.sample")).first()
        .satisfies(e -> assertThat(e.getMode() & 0777).isEqualTo(0644));
  }

  @Test
  void buildsFromTheArchiveIntoAnOciArchiveRecordingTheBaseConfigurationDigest() throws Exception {
    BaseArchive base = BaseArchive.write(rootfs(dir.resolve("rootfs")), "odoo-gitops/demo-base:17.0", ODOO_LIKE,
        dir.resolve("base.tar"));
    Path addons = ImageBuildIT.sampleAddons(dir.resolve("addons"));

    BuildResult result = ImageBuild.run(request(addons, "docker-archive:" + base.file(), dir.resolve("out.tar"))
        .strictBase(true).build());

    assertThat(result.baseDigest()).isEqualTo(base.configDigest());
    assertThat(result.baseImage()).isEqualTo("docker-archive:" + base.file());
    OciArchiveContents image = OciArchiveContents.read(dir.resolve("out.tar"));
    assertThat(image.manifestDigest()).isEqualTo(result.digest().value());
    assertThat(image.label(ImageLabels.BASE_DIGEST)).isEqualTo(base.configDigest().value());
    assertThat(image.label(ImageLabels.BASE_NAME)).isEqualTo(base.name().orElseThrow());
    assertThat(image.label("org.opencontainers.image.title")).as("base labels are kept")
        .isEqualTo("stand-in Odoo base");
    assertThat(image.config().at("/config/User").asText()).isEqualTo("odoo");
    assertThat(image.config().at("/config/Entrypoint/0").asText()).isEqualTo("/entrypoint.sh");
    assertThat(image.layerCount()).as("base, three modules, odoo.conf").isEqualTo(1 + 3 + 1);
  }

  @Test
  void theSameArchiveAndAddonsGiveTheSameDigestWhereverTheyLie() throws Exception {
    BaseArchive base = BaseArchive.write(rootfs(dir.resolve("rootfs")), "odoo-gitops/demo-base:17.0", ODOO_LIKE,
        dir.resolve("base.tar"));
    Path movedBase = Files.copy(base.file(), Files.createDirectories(dir.resolve("mirror")).resolve("odoo.tar"));
    Path first = ImageBuildIT.sampleAddons(dir.resolve("checkout-1/addons"));
    Path second = ImageBuildIT.sampleAddons(dir.resolve("checkout-2/src/addons"));
    touchAll(second, FileTime.fromMillis(1_700_000_000_000L));

    BuildResult one = ImageBuild.run(request(first, "docker-archive:" + base.file(), dir.resolve("1.tar")).build());
    BuildResult two = ImageBuild.run(request(second, "oci-archive:" + movedBase, dir.resolve("2.tar"))
        .cacheDirectory(dir.resolve("other-cache")).build());

    assertThat(two.digest()).isEqualTo(one.digest());
    assertThat(Files.readAllBytes(dir.resolve("2.tar"))).isEqualTo(Files.readAllBytes(dir.resolve("1.tar")));
  }

  @Test
  void refusesAnOciLayoutACompressedArchiveAndAMissingFileWithWhatToDo() throws Exception {
    BaseArchive base = BaseArchive.write(rootfs(dir.resolve("rootfs")), "demo/base:1", ODOO_LIKE,
        dir.resolve("base.tar"));
    Path addons = ImageBuildIT.sampleAddons(dir.resolve("addons"));
    Path ociLayout = dir.resolve("built.tar");
    ImageBuild.run(request(addons, "docker-archive:" + base.file(), ociLayout).build());

    assertThatThrownBy(() -> ImageBuild.run(request(addons, "oci-archive:" + ociLayout, dir.resolve("x.tar"))
        .build()))
        .isInstanceOfSatisfying(ReleaseException.class,
            e -> assertThat(e.kind()).isEqualTo(ReleaseException.Kind.BAD_INPUT))
        .hasMessageContaining("is an OCI image layout without the manifest.json of docker save")
        .hasMessageContaining("skopeo copy oci-archive:" + ociLayout + " docker-archive:");

    Path gzipped = dir.resolve("base.tar.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gzipped))) {
      Files.copy(base.file(), out);
    }
    assertThatThrownBy(() -> BaseArchive.read(gzipped)).hasMessageContaining("is gzip-compressed");
    assertThatThrownBy(() -> BaseImage.resolve("docker-archive:" + dir.resolve("nope.tar"), true, r -> null))
        .hasMessageContaining("does not exist");
    assertThatThrownBy(() -> BaseImage.resolve("docker-archive:", false, r -> null))
        .hasMessageContaining("names no file");
    assertThatThrownBy(() -> BaseArchive.read(addons.resolve("acme_base/data.xml")))
        .hasMessageContaining("has no manifest.json, so it is not a docker save archive");
  }

  @Test
  void refusesSymbolicLinksAndRelativeWorkingDirectories() throws Exception {
    Path rootfs = rootfs(dir.resolve("rootfs"));
    assertThatThrownBy(() -> ImageConfig.builder().workingDirectory("var/lib").build())
        .hasMessageContaining("not an absolute path");
    Files.createSymbolicLink(rootfs.resolve("usr/bin/python3"), Path.of("python3.11"));
    assertThatThrownBy(() -> BaseArchive.write(rootfs, "demo/base:1", ODOO_LIKE, dir.resolve("x.tar")))
        .isInstanceOf(ReleaseException.class).hasMessageContaining("is a symbolic link");
  }

  private BuildRequest.Builder request(Path addons, String base, Path out) {
    return BuildRequest.builder()
        .addonsDir(addons)
        .baseImage(base)
        .image("registry.example.com/acme/odoo")
        .revision(REVISION)
        .target(new ImageTarget.OciArchive(out))
        .cacheDirectory(dir.resolve("cache"));
  }

  /** A stand-in for an Odoo base: an entrypoint, a configuration directory, an empty data directory. */
  static Path rootfs(Path root) throws IOException {
    Files.createDirectories(root.resolve("etc/odoo"));
    Files.createDirectories(root.resolve("var/lib/odoo"));
    Files.createDirectories(root.resolve("usr/bin"));
    Files.writeString(root.resolve("etc/odoo/odoo.conf.sample"), "[options]\n");
    Path entrypoint = Files.writeString(root.resolve("entrypoint.sh"), "#!/bin/sh\nexec \"$@\"\n");
    Files.setPosixFilePermissions(entrypoint, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path odoo = Files.writeString(root.resolve("usr/bin/odoo"), "#!/bin/sh\necho stand-in odoo\n");
    Files.setPosixFilePermissions(odoo, PosixFilePermissions.fromString("rwxr-xr-x"));
    return root;
  }

  private static void touchAll(Path root, FileTime time) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        Files.setLastModifiedTime(p, time);
      }
    }
  }

  private static Map<String, byte[]> tarFiles(Path archive) throws IOException {
    Map<String, byte[]> files = new HashMap<>();
    try (TarArchiveInputStream tar = new TarArchiveInputStream(
        new BufferedInputStream(Files.newInputStream(archive)))) {
      for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
        files.put(entry.getName(), tar.readAllBytes());
      }
    }
    return files;
  }
}
