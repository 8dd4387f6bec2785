package io.odoogitops.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.odoogitops.ReleaseException;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Symbolic links inside addons, built into a real OCI archive: a link leaving its module would copy a file of the CI
 * host (a secret, a key) into a layer anyone who can pull the image reads, so it is refused; a link that stays inside
 * its module is packed as a regular file with its target's content, as module_auto_update's checksum reads it.
 */
class AddonLinksBuildTest {

  private static final String SECRET = "AKIA-ci-host-secret-never-in-a-layer";

  @TempDir Path dir;

  private BuildRequest request(Path addons, Path out) throws Exception {
    BaseArchive base = BaseArchive.write(ArchiveBaseBuildTest.rootfs(dir.resolve("rootfs")), "demo/base:17.0",
        ArchiveBaseBuildTest.ODOO_LIKE, dir.resolve("base.tar"));
    return BuildRequest.builder()
        .addonsDir(addons)
        .baseImage("docker-archive:" + base.file())
        .image("registry.example.com/acme/odoo")
        .revision(ArchiveBaseBuildTest.REVISION)
        .target(new ImageTarget.OciArchive(out))
        .cacheDirectory(dir.resolve("cache"))
        .build();
  }

  private Path secret() throws Exception {
    return Files.writeString(Files.createDirectories(dir.resolve("ci-host")).resolve("secret"), SECRET);
  }

  @Test
  void aFileLinkLeavingItsModuleIsRefusedAndNothingIsBuilt() throws Exception {
    Path addons = ImageBuildIT.sampleAddons(dir.resolve("addons"));
    Path link = Files.createSymbolicLink(addons.resolve("acme_sale/models/leak.txt"), secret());
    Path out = dir.resolve("out.tar");

    BuildRequest request = request(addons, out);
    assertThatThrownBy(() -> ImageBuild.run(request))
        .isInstanceOfSatisfying(ReleaseException.class,
            e -> assertThat(e.kind()).isEqualTo(ReleaseException.Kind.BAD_INPUT))
        .hasMessageContaining(link.toString())
        .hasMessageContaining("outside its module acme_sale")
        .hasMessageNotContaining(SECRET);
    assertThat(out).doesNotExist();
  }

  @Test
  void aRelativeLinkClimbingIntoASiblingModuleIsRefusedToo() throws Exception {
    Path addons = ImageBuildIT.sampleAddons(dir.resolve("addons"));
    Path link = Files.createSymbolicLink(addons.resolve("acme_report/data.xml"),
        Path.of("../acme_base/data.xml"));

    BuildRequest request = request(addons, dir.resolve("out.tar"));
    assertThatThrownBy(() -> ImageBuild.run(request))
        .isInstanceOf(ReleaseException.class)
        .hasMessageContaining(link.toString()).hasMessageContaining("outside its module acme_report");
  }

  @Test
  void aDanglingLinkAndAFifoAreRefusedByName() throws Exception {
    Path addons = ImageBuildIT.sampleAddons(dir.resolve("addons"));
    Path dangling = Files.createSymbolicLink(addons.resolve("acme_base/gone.xml"), Path.of("nowhere.xml"));
    BuildRequest request = request(addons, dir.resolve("out.tar"));
    assertThatThrownBy(() -> ImageBuild.run(request))
        .isInstanceOf(ReleaseException.class).hasMessageContaining(dangling + " is a broken symbolic link");

    Files.delete(dangling);
    Path fifo = addons.resolve("acme_base/pipe");
    assertThat(new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor()).isZero();
    assertThatThrownBy(() -> ImageBuild.run(request))
        .isInstanceOf(ReleaseException.class).hasMessageContaining(fifo + " is not a regular file");
  }

  @Test
  void aLinkStayingInsideItsModuleIsPackedAsARegularFileWithTheTargetsContent() throws Exception {
    Path addons = ImageBuildIT.sampleAddons(dir.resolve("addons"));
    Files.writeString(addons.resolve("acme_sale/README.rst"), "Acme sale\n");
    Files.createDirectories(addons.resolve("acme_sale/static/description"));
    Files.createSymbolicLink(addons.resolve("acme_sale/static/description/index.rst"),
        Path.of("../../README.rst"));
    Path out = dir.resolve("out.tar");

    ImageBuild.run(request(addons, out));

    Map<String, TarArchiveEntry> entries = new HashMap<>();
    Map<String, byte[]> contents = new HashMap<>();
    readLayers(out, entries, contents);
    String packed = entries.keySet().stream().filter(n -> n.endsWith("acme_sale/static/description/index.rst"))
        .findFirst().orElseThrow();
    assertThat(entries.get(packed).isSymbolicLink()).isFalse();
    assertThat(entries.get(packed).isFile()).isTrue();
    assertThat(new String(contents.get(packed), StandardCharsets.UTF_8)).isEqualTo("Acme sale\n");
  }

  /** Every file entry of every gzip layer blob in an OCI archive. */
  private static void readLayers(Path archive, Map<String, TarArchiveEntry> entries, Map<String, byte[]> contents)
      throws Exception {
    try (TarArchiveInputStream outer = new TarArchiveInputStream(
        new BufferedInputStream(Files.newInputStream(archive)))) {
      for (TarArchiveEntry blob = outer.getNextEntry(); blob != null; blob = outer.getNextEntry()) {
        if (!blob.isFile() || !blob.getName().startsWith("blobs/")) {
          continue;
        }
        byte[] bytes = outer.readAllBytes();
        if (bytes.length < 2 || (bytes[0] & 0xff) != 0x1f || (bytes[1] & 0xff) != 0x8b) {
          continue; // JSON blobs
        }
        try (TarArchiveInputStream layer = new TarArchiveInputStream(new GZIPInputStream(
            new ByteArrayInputStream(bytes)))) {
          for (TarArchiveEntry e = layer.getNextEntry(); e != null; e = layer.getNextEntry()) {
            entries.put(e.getName(), e);
            contents.put(e.getName(), layer.readAllBytes());
          }
        }
      }
    }
  }
}
