package io.odoogitops.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.odoogitops.ReleaseException;
import io.odoogitops.testing.Prerequisites.Tool;
import io.odoogitops.testing.Requires;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Builds against a real registry (Debian's docker-registry on loopback) and checks the results with skopeo. */
@Requires({Tool.DOCKER_REGISTRY, Tool.SKOPEO})
class ImageBuildIT {

  static final String REVISION = "3ca6218e0d1f2a4b5c6d7e8f9a0b1c2d3e4f5a6b";
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path shared;
  static LocalRegistry registry;
  static String base;
  static String baseDigest;

  @TempDir Path dir;

  @BeforeAll
  static void registryWithABaseImage() throws Exception {
    registry = LocalRegistry.start(shared);
    base = registry.address() + "/library/odoo-base:17.0";
    baseDigest = registry.pushTinyOdooBase("library/odoo-base:17.0", shared);
  }

  @AfterAll
  static void stopRegistry() {
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void pushesOneLayerPerModuleInDependencyOrderWithLabelsAndThePinnedBase() throws Exception {
    Path addons = sampleAddons(dir.resolve("addons"));
    String image = registry.address() + "/acme/odoo";

    BuildResult result = ImageBuild.run(request(addons, image).revision(REVISION)
        .source("https://git.example.com/acme/addons").build());

    assertThat(result.tags()).containsExactly("17.0-3ca6218");
    assertThat(result.createdTags()).containsExactly("17.0-3ca6218");
    assertThat(result.baseDigest().value()).isEqualTo(baseDigest);
    assertThat(result.modules()).extracting(BuiltModule::name).containsExactly("acme_base", "acme_sale", "acme_report");
    assertThat(result.modulesFromBase()).containsExactly("base", "sale");
    JsonNode inspect = JSON.readTree(registry.skopeoInspect(image + ":17.0-3ca6218"));
    assertThat(inspect.get("Digest").asText()).isEqualTo(result.digest().value());
    JsonNode labels = inspect.get("Labels");
    assertThat(labels.get("org.opencontainers.image.revision").asText()).isEqualTo(REVISION);
    assertThat(labels.get("org.opencontainers.image.source").asText()).isEqualTo("https://git.example.com/acme/addons");
    assertThat(labels.get("org.opencontainers.image.version").asText()).isEqualTo("17.0-3ca6218");
    assertThat(labels.get("org.opencontainers.image.base.digest").asText()).isEqualTo(baseDigest);
    JsonNode modules = JSON.readTree(labels.get("io.odoogitops.modules").asText());
    assertThat(modules.get("acme_sale").get("version").asText()).isEqualTo("17.0.1.1.0");
    assertThat(modules.get("acme_sale").get("checksum").asText())
        .isEqualTo(result.modules().get(1).checksum()).hasSize(40);

    JsonNode config = JSON.readTree(registry.skopeoInspect(image + ":17.0-3ca6218", "--config"));
    assertThat(config.at("/config/User").asText()).isEqualTo("odoo");
    assertThat(config.at("/config/Entrypoint/0").asText()).isEqualTo("/entrypoint.sh");
    assertThat(config.at("/config/Env").toString()).contains("ODOO_RC=/etc/odoo/odoo.conf");

    List<String> layers = layerDigests(image, "17.0-3ca6218");
    assertThat(layers).hasSize(1 + 3 + 1);
    assertThat(tarEntries(image, layers.get(1))).first().isEqualTo("opt/");
    assertThat(tarEntries(image, layers.get(1))).contains("opt/odoo/addons/acme_base/__manifest__.py")
        .noneMatch(name -> name.contains("acme_sale") || name.endsWith(".pyc") || name.contains("__pycache__"));
    assertThat(tarEntries(image, layers.get(2))).contains("opt/odoo/addons/acme_sale/models/sale.py");
    assertThat(tarEntries(image, layers.get(3))).contains("opt/odoo/addons/acme_report/__manifest__.py");
    assertThat(tarEntries(image, layers.get(4))).contains("etc/odoo/odoo.conf");
    for (TarArchiveEntry entry : tarHeaders(image, layers.get(2))) {
      assertThat(entry.getModTime().getTime()).as(entry.getName()).isEqualTo(1000L);
      assertThat(entry.getLongUserId()).isZero();
      assertThat(entry.getLongGroupId()).isZero();
    }
  }

  @Test
  void copiesInOtherDirectoriesWithOtherTimestampsGiveTheSameDigest() throws Exception {
    Path first = sampleAddons(dir.resolve("checkout-1/addons"));
    Path second = sampleAddons(dir.resolve("elsewhere/checkout-2/src/addons"));
    touchAll(second, FileTime.fromMillis(1_700_000_000_000L));
    String image = registry.address() + "/acme/repro";

    BuildResult oci1 = ImageBuild.run(request(first, image).revision(REVISION)
        .target(new ImageTarget.OciArchive(dir.resolve("one.tar"))).build());
    BuildResult oci2 = ImageBuild.run(request(second, image).revision(REVISION)
        .target(new ImageTarget.OciArchive(dir.resolve("two.tar"))).build());
    BuildResult pushed = ImageBuild.run(request(second, image).revision(REVISION).build());

    assertThat(oci2.digest()).isEqualTo(oci1.digest());
    assertThat(pushed.digest()).as("the registry holds the very image the archive holds").isEqualTo(oci1.digest());
    JsonNode archive = JSON.readTree(LocalRegistry.skopeoInspectTransport(
        List.of("oci-archive:" + dir.resolve("one.tar"))));
    assertThat(archive.get("Digest").asText()).as("skopeo reads the OCI archive").isEqualTo(oci1.digest().value());
  }

  @Test
  void acceptsModuleDirectoriesThatAreSymbolicLinksWithTheSameDigest() throws Exception {
    Path real = sampleAddons(dir.resolve("real"));
    Path linked = Files.createDirectories(dir.resolve("linked"));
    try (Stream<Path> modules = Files.list(real)) {
      for (Path module : (Iterable<Path>) modules::iterator) {
        Files.createSymbolicLink(linked.resolve(module.getFileName()), module);
      }
    }
    String image = registry.address() + "/acme/links";

    BuildResult viaLinks = ImageBuild.run(request(linked, image)
        .target(new ImageTarget.OciArchive(dir.resolve("links.tar"))).build());
    BuildResult direct = ImageBuild.run(request(real, image)
        .target(new ImageTarget.OciArchive(dir.resolve("direct.tar"))).build());

    assertThat(viaLinks.digest()).isEqualTo(direct.digest());
  }

  @Test
  void rebuildingAfterOneModuleChangedUploadsOnlyThatModulesLayer() throws Exception {
    Path addons = sampleAddons(dir.resolve("addons"));
    String image = registry.address() + "/acme/incremental";
    ImageBuild.run(request(addons, image).tag("v1").build());
    List<String> before = layerDigests(image, "v1");
    int uploadsBefore = registry.uploadedBlobs().size();

    Files.writeString(addons.resolve("acme_sale/models/sale.py"), "# changed\nclass Sale:\n    pass\n");
    BuildResult v2 = ImageBuild.run(request(addons, image).tag("v2").build());

    List<String> after = layerDigests(image, "v2");
    List<String> changed = new ArrayList<>(after);
    changed.removeAll(before);
    assertThat(changed).hasSize(1);
    assertThat(after.indexOf(changed.get(0))).as("the acme_sale layer").isEqualTo(2);
    JsonNode manifest = JSON.readTree(registry.get("/v2/acme/incremental/manifests/v2"));
    String configDigest = manifest.at("/config/digest").asText();
    List<String> uploaded = registry.uploadedBlobs().subList(uploadsBefore, registry.uploadedBlobs().size());
    assertThat(uploaded).containsExactlyInAnyOrder(changed.get(0), configDigest);
    assertThat(v2.createdTags()).containsExactly("v2");
  }

  @Test
  void neverMovesATagButAddsTagsToTheSameImage() throws Exception {
    Path addons = sampleAddons(dir.resolve("addons"));
    String image = registry.address() + "/acme/immutable";
    BuildResult first = ImageBuild.run(request(addons, image).tag("release-1").build());

    BuildResult again = ImageBuild.run(request(addons, image).tag("release-1").tag("stable-1").build());
    assertThat(again.digest()).isEqualTo(first.digest());
    assertThat(again.createdTags()).containsExactly("stable-1");
    assertThat(JSON.readTree(registry.skopeoInspect(image + ":stable-1")).get("Digest").asText())
        .isEqualTo(first.digest().value());

    Files.writeString(addons.resolve("acme_base/data.xml"), "<odoo><!-- new --></odoo>\n");
    assertThatThrownBy(() -> ImageBuild.run(request(addons, image).tag("release-1").tag("release-2").build()))
        .isInstanceOfSatisfying(ReleaseException.class,
            e -> assertThat(e.kind()).isEqualTo(ReleaseException.Kind.REFUSED))
        .hasMessageContaining("tag collision in " + image + ": release-1 -> " + first.digest())
        .hasMessageContaining("nothing was tagged");
    assertThat(JSON.readTree(registry.skopeoInspect(image + ":release-1")).get("Digest").asText())
        .isEqualTo(first.digest().value());
    assertThatThrownBy(() -> registry.skopeoInspect(image + ":release-2")).hasMessageContaining("manifest unknown");
    assertThatThrownBy(() -> registry.skopeoInspect(image + ":latest")).hasMessageContaining("manifest unknown");
  }

  @Test
  void refusesUnpinnedBaseInStrictModeAndReportsAMissingBaseAndADownRegistry() throws Exception {
    Path addons = sampleAddons(dir.resolve("addons"));
    String image = registry.address() + "/acme/errors";

    assertThatThrownBy(() -> ImageBuild.run(request(addons, image).tag("x").strictBase(true).build()))
        .hasMessageContaining("is not pinned by digest, which strict mode requires");
    BuildResult pinned = ImageBuild.run(request(addons, image).tag("x").strictBase(true)
        .baseImage(registry.address() + "/library/odoo-base@" + baseDigest).build());
    assertThat(pinned.baseDigest().value()).isEqualTo(baseDigest);

    assertThatThrownBy(() -> ImageBuild.run(request(addons, image).tag("y")
        .baseImage(registry.address() + "/library/odoo-base:99.0").build()))
        .isInstanceOfSatisfying(ReleaseException.class,
            e -> assertThat(e.kind()).isEqualTo(ReleaseException.Kind.BAD_INPUT))
        .hasMessageContaining("does not exist");

    int closedPort;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    assertThatThrownBy(() -> ImageBuild.run(request(addons, "127.0.0.1:" + closedPort + "/acme/odoo").tag("z")
        .baseImage("127.0.0.1:" + closedPort + "/library/odoo-base:17.0").build()))
        .isInstanceOfSatisfying(ReleaseException.class,
            e -> assertThat(e.kind()).isEqualTo(ReleaseException.Kind.INFRASTRUCTURE))
        .hasMessageContaining("cannot reach registry 127.0.0.1:" + closedPort);
  }

  private BuildRequest.Builder request(Path addons, String image) {
    return BuildRequest.builder()
        .addonsDir(addons)
        .baseImage(base)
        .image(image)
        .revision(REVISION)
        .cacheDirectory(dir.resolve("cache"));
  }

  static Path sampleAddons(Path addons) throws IOException {
    write(addons.resolve("acme_base/__manifest__.py"),
        "{'name': 'Acme base', 'version': '17.0.1.0.0', 'depends': ['base']}\n");
    write(addons.resolve("acme_base/__init__.py"), "");
    write(addons.resolve("acme_base/data.xml"), "<odoo/>\n");
    write(addons.resolve("acme_base/__pycache__/__init__.cpython-311.pyc"), "bytecode");
    write(addons.resolve("acme_sale/__manifest__.py"),
        "{'name': 'Acme sale', 'version': '17.0.1.1.0', 'depends': ['sale', 'acme_base']}\n");
    write(addons.resolve("acme_sale/__init__.py"), "from . import models\n");
    write(addons.resolve("acme_sale/models/sale.py"), "class Sale:\n    pass\n");
    write(addons.resolve("acme_report/__manifest__.py"),
        "{'name': 'Acme report', 'version': '17.0.2.0.0', 'depends': ['acme_sale']}\n");
    write(addons.resolve("acme_report/__init__.py"), "");
    write(addons.resolve("acme_legacy/__manifest__.py"), "{'version': '17.0.1.0.0', 'installable': False}\n");
    return addons;
  }

  private static void write(Path file, String content) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }

  private static void touchAll(Path root, FileTime time) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        Files.setLastModifiedTime(p, time);
      }
    }
  }

  private static List<String> layerDigests(String image, String tag) throws Exception {
    String repository = image.substring(image.indexOf('/') + 1);
    JsonNode manifest = JSON.readTree(registry.get("/v2/" + repository + "/manifests/" + tag));
    List<String> digests = new ArrayList<>();
    manifest.get("layers").forEach(layer -> digests.add(layer.get("digest").asText()));
    return digests;
  }

  private static List<String> tarEntries(String image, String digest) throws Exception {
    return tarHeaders(image, digest).stream().map(TarArchiveEntry::getName).toList();
  }

  private static List<TarArchiveEntry> tarHeaders(String image, String digest) throws Exception {
    String repository = image.substring(image.indexOf('/') + 1);
    byte[] blob = registry.get("/v2/" + repository + "/blobs/" + digest);
    List<TarArchiveEntry> entries = new ArrayList<>();
    try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(new ByteArrayInputStream(blob)))) {
      for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
        entries.add(entry);
      }
    }
    return entries;
  }
}
