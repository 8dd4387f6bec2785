package io.odoogitops.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.odoogitops.ImageDigest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The small decisions of a build that need no registry. */
class ImageBuildPartsTest {

  @TempDir Path dir;

  @Test
  void plainHttpIsOnlyForLiteralLoopbackAddressesUnlessAskedFor() {
    assertThat(RegistryAccess.isLoopback("127.0.0.1:5000")).isTrue();
    assertThat(RegistryAccess.isLoopback("127.8.9.10")).isTrue();
    assertThat(RegistryAccess.isLoopback("localhost:5000")).isTrue();
    assertThat(RegistryAccess.isLoopback("[::1]:5000")).isTrue();
    assertThat(RegistryAccess.isLoopback("10.0.0.1:5000")).isFalse();
    assertThat(RegistryAccess.isLoopback("registry.example.com")).isFalse();
    assertThat(RegistryAccess.to("registry.example.com", Optional.empty(), false).insecureAllowed()).isFalse();
    assertThat(RegistryAccess.to("registry.example.com", Optional.empty(), true).insecureAllowed()).isTrue();
  }

  @Test
  void credentialsNeverShowTheirSecret() {
    assertThat(new RegistryCredentials("ci", "s3cret").toString()).contains("ci").doesNotContain("s3cret");
  }

  @Test
  void readsRevisionAndOriginFromTheCheckoutWithoutUserInfo() throws Exception {
    try (Git git = Git.init().setDirectory(dir.toFile()).call()) {
      Files.createDirectories(dir.resolve("addons/m"));
      Files.writeString(dir.resolve("addons/m/__manifest__.py"), "{}");
      git.add().addFilepattern(".").call();
      String commit = git.commit().setMessage("init").setAuthor("a", "a@example.com")
          .setCommitter("a", "a@example.com").setSign(false).call().name();
      var config = git.getRepository().getConfig();
      config.setString("remote", "origin", "url", "https://ci-bot:glpat-SECRET@git.example.com/acme/addons.git");
      config.save();

      SourceInfo info = SourceInfo.of(dir.resolve("addons"));

      assertThat(info.revision()).contains(commit);
      assertThat(info.url()).contains("https://git.example.com/acme/addons.git");
    }
    assertThat(SourceInfo.of(Files.createTempDirectory("not-git")).revision()).isEmpty();
    assertThat(SourceInfo.withoutUserInfo("git@github.com:acme/addons.git")).isEqualTo("git@github.com:acme/addons.git");
  }

  @Test
  void odooConfPutsTheModuleLayersFirstInTheAddonsPath() {
    assertThat(OdooConfig.officialImageDefaults().render()).contains("[options]\n")
        .contains("addons_path = /opt/odoo/addons,/mnt/extra-addons\n")
        .contains("data_dir = /var/lib/odoo\n");
  }

  @Test
  void parsesOutputsAndRefusesUnknownOnes() {
    assertThat(ImageTarget.parse("registry")).isInstanceOf(ImageTarget.Registry.class);
    assertThat(ImageTarget.parse("oci:/tmp/odoo.tar")).isEqualTo(new ImageTarget.OciArchive(Path.of("/tmp/odoo.tar")));
    assertThatThrownBy(() -> ImageTarget.parse("oci:")).hasMessageContaining("use 'registry' or 'oci:PATH'");
  }

  @Test
  void modulesLabelIsSortedJsonAndTheResultSerialises() throws Exception {
    List<BuiltModule> modules = List.of(new BuiltModule("b_mod", "17.0.1.0.0", "bb"),
        new BuiltModule("a_mod", "17.0.2.0.0", "aa"));

    assertThat(ImageLabels.modulesJson(modules)).isEqualTo(
        "{\"a_mod\":{\"version\":\"17.0.2.0.0\",\"checksum\":\"aa\"},"
            + "\"b_mod\":{\"version\":\"17.0.1.0.0\",\"checksum\":\"bb\"}}");
    // A digest is a full one by construction; the JSON carries it as the plain string.
    ImageDigest digest = new ImageDigest("sha256:" + "ab".repeat(32));
    BuildResult result = new BuildResult("r/acme/odoo", digest, List.of("t"), List.of("t"), "registry",
        "odoo:17.0", new ImageDigest("sha256:" + "ba".repeat(32)), "17.0", "rev", modules, List.of("base"));
    JsonNode json = new ObjectMapper().readTree(result.toJson());
    assertThat(json.get("digest").asText()).isEqualTo(digest.value());
    assertThat(json.get("modules").get(0).get("name").asText()).isEqualTo("b_mod");
    assertThat(result.pinnedReference()).isEqualTo("r/acme/odoo@" + digest.value());
  }
}
