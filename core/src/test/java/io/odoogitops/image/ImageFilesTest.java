package io.odoogitops.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.odoogitops.ReleaseException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading files out of image layers as a container would see them, and refusing hostile archives. */
class ImageFilesTest {

  static final String ADDONS = "usr/lib/python3/dist-packages/odoo/addons/";
  static final Predicate<String> MANIFESTS = p -> p.endsWith("/__manifest__.py");
  static final Predicate<String> SQL = p -> p.endsWith("/data/neutralize.sql") || p.endsWith("/odoo.conf");

  @TempDir Path dir;

  private ImageFiles read(Path archive) {
    return ImageArchive.open(archive).files(MANIFESTS, SQL);
  }

  @Test
  void appliesTheLayersWithTheirWhiteoutsAndFollowsLinksInsideTheImageOnly() throws Exception {
    Path archive = TestImages.dockerSave(dir.resolve("image.tar"), List.of("ODOO_RC=/etc/odoo/odoo.conf", "A=b=c"),
        TestImages.layer()
            .directory(ADDONS + "base")
            .file(ADDONS + "base/__manifest__.py", "{}")
            .file(ADDONS + "base/data/neutralize.sql", "-- first\n")
            .file("opt/addons/gone/__manifest__.py", "{}")
            .file("opt/addons/gone/data/neutralize.sql", "UPDATE gone;")
            .file("opt/old/x/data/neutralize.sql", "UPDATE x;")
            .file("srv/real/linked/__manifest__.py", "{}")
            .file("srv/real/linked/data/neutralize.sql", "UPDATE linked;")
            .file("etc/odoo/odoo.conf", "[options]\naddons_path = /opt/addons\n")
            .file("etc/shadow", "root:$6$secret")
            .file("opt/readme.txt", "not selected"),
        TestImages.layer().gzip()
            .file("./opt/addons/.wh.gone", "")
            .file("opt/old/.wh..wh..opq", "")
            .file("opt/old/y/data/neutralize.sql", "UPDATE y;")
            .symlink("mnt/extra-addons/linked", "/srv/real/linked")
            .symlink("srv/real/rel/data/neutralize.sql", "../../linked/data/neutralize.sql")
            .file(ADDONS + "base/data/neutralize.sql", "-- second\n")
            .symlink("escape/data/neutralize.sql", "../../../../etc/shadow")
            .hardlink("opt/hard/data/neutralize.sql", "srv/real/linked/data/neutralize.sql")
            .symlink("loop/a", "/loop/b").symlink("loop/b", "/loop/a"));

    ImageFiles files = read(archive);

    assertThat(ImageArchive.open(archive).environment()).containsEntry("ODOO_RC", "/etc/odoo/odoo.conf")
        .containsEntry("A", "b=c");
    assertThat(ImageArchive.open(archive).digest().value()).startsWith("sha256:");
    assertThat(files.text("/" + ADDONS + "base/data/neutralize.sql")).contains("-- second\n");
    assertThat(files.isFile("/" + ADDONS + "base/__manifest__.py")).isTrue();
    assertThat(files.isFile("/opt/addons/gone/__manifest__.py")).as("whited out").isFalse();
    assertThat(files.text("/opt/addons/gone/data/neutralize.sql")).isEmpty();
    assertThat(files.text("/opt/old/x/data/neutralize.sql")).as("hidden by the opaque directory").isEmpty();
    assertThat(files.text("/opt/old/y/data/neutralize.sql")).as("same layer as the opaque marker")
        .contains("UPDATE y;");
    assertThat(files.isFile("/mnt/extra-addons/linked/__manifest__.py")).isTrue();
    assertThat(files.text("/mnt/extra-addons/linked/data/neutralize.sql")).contains("UPDATE linked;");
    assertThat(files.text("/srv/real/rel/data/neutralize.sql")).contains("UPDATE linked;");
    assertThat(files.text("/opt/hard/data/neutralize.sql")).contains("UPDATE linked;");
    assertThat(files.text("/etc/odoo/odoo.conf")).contains("[options]\naddons_path = /opt/addons\n");
    assertThat(files.files()).doesNotContain("/opt/readme.txt", "/etc/shadow");
    assertThat(files.resolve("/a/../../../etc/odoo")).contains("/etc/odoo");
    assertThatThrownBy(() -> files.text("/escape/data/neutralize.sql"))
        .isInstanceOf(ReleaseException.class)
        .hasMessageContaining("is a symbolic link to /etc/shadow, which odoo-gitops does not read")
        .hasMessageNotContaining("secret");
    assertThatThrownBy(() -> files.text("/loop/a/data/neutralize.sql"))
        .hasMessageContaining("is a loop of symbolic links");
  }

  @Test
  void readsTheDockerSaveArchivesJibWrites() throws Exception {
    Path rootfs = ArchiveBaseBuildTest.rootfs(dir.resolve("rootfs"));
    Files.createDirectories(rootfs.resolve(ADDONS + "base/data"));
    Files.writeString(rootfs.resolve(ADDONS + "base/__manifest__.py"), "{'name': 'Base'}\n");
    Files.writeString(rootfs.resolve(ADDONS + "base/data/neutralize.sql"), "UPDATE ir_cron SET active = false;\n");
    BaseArchive written = BaseArchive.write(rootfs, "odoo-gitops/test-base:17.0", ArchiveBaseBuildTest.ODOO_LIKE,
        dir.resolve("base.tar"));

    ImageFiles files = read(written.file());

    ImageArchive archive = ImageArchive.open(written.file());
    assertThat(archive.digest()).as("a docker save archive is known by its configuration digest")
        .isEqualTo(written.configDigest());
    assertThat(archive.manifestDigest()).isFalse();
    assertThat(archive.environment()).containsEntry("ODOO_RC", "/etc/odoo/odoo.conf");
    assertThat(files.files()).containsExactly("/" + ADDONS + "base/__manifest__.py",
        "/" + ADDONS + "base/data/neutralize.sql");
    assertThat(files.text("/" + ADDONS + "base/data/neutralize.sql")).contains("UPDATE ir_cron SET active = false;\n");
  }

  @Test
  void refusesAnEntryClimbingOutOfTheRoot() throws Exception {
    Path archive = TestImages.dockerSave(dir.resolve("evil.tar"), List.of(),
        TestImages.layer().file("opt/../../../etc/cron.d/evil", "* * * * * root rm -rf /"));
    assertThatThrownBy(() -> read(archive))
        .isInstanceOfSatisfying(ReleaseException.class, e -> assertThat(e.exitCode()).isEqualTo(2))
        .hasMessageContaining("climbs out of the image's root; refusing the archive");
  }

  @Test
  void refusesALayerThatDoesNotMatchItsDigest() throws Exception {
    Path archive = TestImages.dockerSave(dir.resolve("tampered.tar"), List.of(), true,
        TestImages.layer().file(ADDONS + "base/data/neutralize.sql", "UPDATE ir_cron SET active = true;"));
    assertThatThrownBy(() -> read(archive))
        .hasMessageContaining("is corrupt or was altered: its content does not hash to the digest");
  }

  @Test
  void refusesASelectedFileLargerThanTheLimitAndLeavesOthersUnread() throws Exception {
    byte[] big = new byte[ImageFiles.MAX_FILE_BYTES + 1];
    Path fine = TestImages.dockerSave(dir.resolve("fine.tar"), List.of(),
        TestImages.layer().gzip().file("opt/big.bin", big));
    assertThat(read(fine).files()).isEmpty();
    Path archive = TestImages.dockerSave(dir.resolve("big.tar"), List.of(),
        TestImages.layer().gzip().file(ADDONS + "base/data/neutralize.sql", big));
    assertThatThrownBy(() -> read(archive))
        .hasMessageContaining("files read from image layers are limited to " + ImageFiles.MAX_FILE_BYTES);
  }

  @Test
  void refusesWhatIsNotAnImageArchive() throws Exception {
    assertThatThrownBy(() -> ImageArchive.open(dir.resolve("missing.tar")))
        .hasMessageContaining("does not exist or is not a regular file");
    Path text = Files.writeString(dir.resolve("text.tar"), "hello");
    assertThatThrownBy(() -> ImageArchive.open(text)).isInstanceOf(ReleaseException.class);
    Path empty = TestImages.dockerSave(dir.resolve("ok.tar"), List.of(), TestImages.layer().file("a", "b"));
    assertThat(ImageArchive.open(empty).layers()).hasSize(1);
    Path link = Files.createSymbolicLink(dir.resolve("link.tar"), empty);
    assertThatThrownBy(() -> ImageArchive.open(link)).isInstanceOf(ReleaseException.class)
        .hasMessageContaining("a symbolic link is not followed");
  }

  @Test
  void recordsTheConfigurationDigestAndNameDockerKnowsTheLoadedImageBy() throws Exception {
    Path saved = TestImages.dockerSave(dir.resolve("saved.tar"), List.of(), TestImages.layer().file("a", "b"));
    ImageArchive archive = ImageArchive.open(saved);
    assertThat(archive.format()).isEqualTo("docker");
    assertThat(archive.configDigest()).isEqualTo(archive.digest());
    assertThat(archive.loadedReferences()).startsWith(archive.configDigest().value());
  }
}
