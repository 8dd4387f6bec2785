package io.odoogitops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.odoogitops.image.BaseArchive;
import io.odoogitops.image.ImageConfig;
import io.odoogitops.image.ImageLabels;
import io.odoogitops.image.OciArchiveContents;
import io.odoogitops.testing.Prerequisites;
import io.odoogitops.testing.Prerequisites.Tool;
import io.odoogitops.testing.Requires;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code odoo-gitops build} with no registry at all, checked by skopeo (an independent OCI implementation): the
 * output archive is a valid OCI image, and an archive skopeo converts to docker save format is a valid base.
 */
@Requires(Tool.SKOPEO)
class BuildOfflineIT {

  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void buildsFromABaseArchiveAndSkopeoReadsTheResultAndConvertsItIntoTheNextBase() throws Exception {
    Path rootfs = Files.createDirectories(dir.resolve("rootfs/etc/odoo"));
    Files.writeString(rootfs.resolve("odoo.conf.sample"), "[options]\n");
    BaseArchive base = BaseArchive.write(dir.resolve("rootfs"), "demo/odoo-base:17.0", ImageConfig.builder()
        .user("odoo").entrypoint(List.of("/entrypoint.sh")).environment("ODOO_RC", "/etc/odoo/odoo.conf").build(),
        dir.resolve("base.tar"));
    module("acme_base", "{'version': '17.0.1.0.0', 'depends': ['base']}");
    Path first = dir.resolve("first.tar");

    JsonNode built = build("docker-archive:" + base.file(), first);

    JsonNode inspect = JSON.readTree(skopeo("inspect", "oci-archive:" + first));
    assertThat(inspect.get("Digest").asText()).isEqualTo(built.get("digest").asText())
        .isEqualTo(OciArchiveContents.read(first).manifestDigest());
    assertThat(inspect.at("/Labels/" + ImageLabels.BASE_DIGEST.replace("/", "~1")).asText())
        .isEqualTo(base.configDigest().value());
    JsonNode config = JSON.readTree(skopeo("inspect", "--config", "oci-archive:" + first));
    assertThat(config.at("/config/User").asText()).isEqualTo("odoo");
    assertThat(config.at("/config/Env").toString()).contains("ODOO_RC=/etc/odoo/odoo.conf");

    // The refusal of an OCI layout names this very conversion; its result must then be accepted.
    Path converted = dir.resolve("first-docker.tar");
    skopeo("copy", "oci-archive:" + first, "docker-archive:" + converted + ":acme/odoo:17.0-0123456");
    module("acme_extra", "{'version': '17.0.1.0.0', 'depends': ['acme_base']}");
    Path second = dir.resolve("second.tar");

    JsonNode rebuilt = build("docker-archive:" + converted, second);

    assertThat(rebuilt.get("baseDigest").asText())
        .as("the configuration digest survives the conversion from OCI layout to docker save format")
        .isEqualTo(OciArchiveContents.read(first).manifest().at("/config/digest").asText());
    assertThat(JSON.readTree(skopeo("inspect", "oci-archive:" + second)).get("Digest").asText())
        .isEqualTo(rebuilt.get("digest").asText());
  }

  private JsonNode build(String base, Path out) throws IOException {
    BuildCommandTest.Run run = BuildCommandTest.run(Map.of(), "build", "--addons", dir.resolve("addons").toString(),
        "--base", base, "--strict-base", "--image", "registry.invalid/acme/odoo", "--revision", "0123456789abcdef",
        "--to", "oci:" + out, "--output", "json", "--cache-dir", dir.resolve("cache").toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    return JSON.readTree(run.out());
  }

  private void module(String name, String manifest) throws IOException {
    Path module = Files.createDirectories(dir.resolve("addons").resolve(name));
    Files.writeString(module.resolve("__manifest__.py"), manifest);
  }

  private static String skopeo(String... arguments) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(Prerequisites.require(Tool.SKOPEO).toString(),
        "--insecure-policy"));
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IOException("skopeo " + String.join(" ", arguments) + " failed: " + output);
    }
    return output;
  }
}
