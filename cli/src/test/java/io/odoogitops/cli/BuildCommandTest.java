package io.odoogitops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.odoogitops.image.BaseArchive;
import io.odoogitops.image.ImageConfig;
import io.odoogitops.image.ImageLabels;
import io.odoogitops.image.OciArchiveContents;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The failures a user meets before any registry is contacted: each a clear message and the documented exit code. */
class BuildCommandTest {

  @TempDir Path dir;

  @Test
  void aMalformedManifestIsBadInputWithItsPosition() throws IOException {
    Path addons = Files.createDirectories(dir.resolve("addons/broken"));
    Files.writeString(addons.resolve("__manifest__.py"), "{\n    'depends': ['base'] + extra,\n}\n");

    Run run = run(Map.of(), "build", "--addons", dir.resolve("addons").toString(), "--base", "odoo:17.0",
        "--image", "127.0.0.1:1/acme/odoo");

    assertThat(run.exitCode).isEqualTo(Main.BAD_INPUT);
    assertThat(run.err).contains("error: " + addons.resolve("__manifest__.py") + ":2:25: operator '+' is not allowed");
  }

  @Test
  void strictModeRefusesAnUnpinnedBaseBeforeAnyNetworkCall() throws IOException {
    module("acme", "{'version': '17.0.1.0.0'}");

    Run run = run(Map.of(), "build", "--addons", dir.resolve("addons").toString(), "--base", "odoo:17.0",
        "--image", "127.0.0.1:1/acme/odoo", "--revision", "abcdef1234", "--strict-base");

    assertThat(run.exitCode).isEqualTo(Main.BAD_INPUT);
    assertThat(run.err).contains("base image 'odoo:17.0' is not pinned by digest, which strict mode requires");
  }

  @Test
  void refusesATaggedImageNameAnUnknownOutputAndAPasswordWithoutUser() throws IOException {
    module("acme", "{'version': '17.0.1.0.0'}");
    String addons = dir.resolve("addons").toString();

    assertThat(run(Map.of(), "build", "--addons", addons, "--base", "odoo:17.0", "--image", "r.example/acme:1",
        "--tag", "x").err).contains("carries a tag or digest");
    assertThat(run(Map.of(), "build", "--addons", addons, "--base", "odoo:17.0", "--image", "r.example/acme",
        "--to", "s3:bucket").err).contains("unknown output 's3:bucket'");
    Run noUser = run(Map.of("ODOO_GITOPS_REGISTRY_PASSWORD", "s3cret"), "build", "--addons", addons, "--base",
        "odoo:17.0", "--image", "r.example/acme");
    assertThat(noUser.exitCode).isEqualTo(Main.BAD_INPUT);
    assertThat(noUser.err).contains("no user").doesNotContain("s3cret");
  }

  @Test
  void aMissingDependencyIsReportedWithItsChainWhenTheBaseModulesAreKnown() throws IOException {
    module("acme_sale", "{'version': '17.0.1.0.0', 'depends': ['sale', 'acme_core']}");
    module("acme_core", "{'version': '17.0.1.0.0', 'depends': ['base', 'account_extra']}");

    Run run = run(Map.of(), "build", "--addons", dir.resolve("addons").toString(), "--base", "odoo:17.0",
        "--image", "127.0.0.1:1/acme/odoo", "--base-module", "base,sale");

    assertThat(run.exitCode).isEqualTo(Main.BAD_INPUT);
    assertThat(run.err).contains("acme_sale -> acme_core -> account_extra: 'account_extra' is in none of the addons");
  }

  @Test
  void baseAddonsDirectoriesTellWhichDependenciesTheBaseProvides() throws IOException {
    module("acme_sale", "{'version': '17.0.1.0.0', 'depends': ['sale', 'acme_missing']}");
    Path odooAddons = Files.createDirectories(dir.resolve("odoo/addons/sale"));
    Files.writeString(odooAddons.resolve("__manifest__.py"), "{'depends': ['base']}");

    Run run = run(Map.of(), "build", "--addons", dir.resolve("addons").toString(), "--base", "odoo:17.0",
        "--image", "127.0.0.1:1/acme/odoo", "--base-addons", dir.resolve("odoo/addons").toString());

    assertThat(run.exitCode).isEqualTo(Main.BAD_INPUT);
    assertThat(run.err).contains("acme_sale -> acme_missing: 'acme_missing' is in none")
        .doesNotContain("'sale' is in none");
  }

  @Test
  void requiredOptionsAreUsageErrors() {
    Run run = run(Map.of(), "build", "--base", "odoo:17.0");

    assertThat(run.exitCode).isEqualTo(Main.BAD_INPUT);
    assertThat(run.err).contains("Missing required options").contains("--addons").contains("--image");
  }

  @Test
  void buildsFromABaseArchiveIntoAnOciArchiveWithoutAnyRegistry() throws IOException {
    module("acme_sale", "{'version': '17.0.1.0.0', 'depends': ['sale']}");
    Path rootfs = Files.createDirectories(dir.resolve("rootfs/etc/odoo"));
    Files.writeString(rootfs.resolve("README"), "stand-in base\n");
    BaseArchive base = BaseArchive.write(dir.resolve("rootfs"), "demo/odoo-base:17.0",
        ImageConfig.builder().user("odoo").entrypoint(List.of("/entrypoint.sh")).build(), dir.resolve("base.tar"));
    Path out = dir.resolve("out/odoo.tar");

    // The image names a registry that does not exist: nothing may try to reach it.
    Run run = run(Map.of(), "build", "--addons", dir.resolve("addons").toString(),
        "--base", "docker-archive:" + base.file(), "--strict-base", "--image", "registry.invalid/acme/odoo",
        "--revision", "0123456789abcdef", "--to", "oci:" + out, "--output", "json");

    assertThat(run.exitCode).as(run.err).isZero();
    JsonNode json = new ObjectMapper().readTree(run.out);
    assertThat(json.get("baseDigest").asText()).isEqualTo(base.configDigest().value());
    assertThat(json.get("target").asText()).isEqualTo("oci:" + out);
    OciArchiveContents image = OciArchiveContents.read(out);
    assertThat(image.manifestDigest()).isEqualTo(json.get("digest").asText());
    assertThat(image.label(ImageLabels.BASE_DIGEST)).isEqualTo(base.configDigest().value());
    assertThat(image.label(ImageLabels.VERSION)).isEqualTo("17.0-0123456");
    assertThat(image.config().at("/config/User").asText()).isEqualTo("odoo");
    assertThat(image.layerCount()).as("base, acme_sale, odoo.conf").isEqualTo(3);
  }

  @Test
  void anOciLayoutAsBaseIsBadInputNamingTheConversion() throws IOException {
    module("acme", "{'version': '17.0.1.0.0'}");
    Path layout = dir.resolve("layout.tar");
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(
        Files.newOutputStream(layout))) {
      byte[] index = "{\"schemaVersion\":2,\"manifests\":[]}".getBytes(StandardCharsets.UTF_8);
      TarArchiveEntry entry = new TarArchiveEntry("index.json");
      entry.setSize(index.length);
      tar.putArchiveEntry(entry);
      tar.write(index);
      tar.closeArchiveEntry();
    }

    Run run = run(Map.of(), "build", "--addons", dir.resolve("addons").toString(), "--base", "oci-archive:" + layout,
        "--image", "acme/odoo", "--revision", "abcdef1234", "--to", "oci:" + dir.resolve("x.tar"));

    assertThat(run.exitCode).isEqualTo(Main.BAD_INPUT);
    assertThat(run.err).contains("is an OCI image layout without the manifest.json of docker save")
        .contains("skopeo copy oci-archive:" + layout + " docker-archive:");
  }

  private void module(String name, String manifest) throws IOException {
    Path module = Files.createDirectories(dir.resolve("addons").resolve(name));
    Files.writeString(module.resolve("__manifest__.py"), manifest);
  }

  record Run(int exitCode, String out, String err) {}

  static Run run(Map<String, String> env, String... args) {
    CommandLine cli = Main.commandLine(env);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }
}
