package io.odoogitops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.odoogitops.image.LocalRegistry;
import io.odoogitops.testing.Prerequisites.Tool;
import io.odoogitops.testing.Requires;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code odoo-gitops build} end to end against a real loopback registry. */
@Requires({Tool.DOCKER_REGISTRY, Tool.SKOPEO})
class BuildCommandIT {

  @TempDir Path dir;
  LocalRegistry registry;
  String baseDigest;

  @BeforeEach
  void registry() throws Exception {
    registry = LocalRegistry.start(dir);
    baseDigest = registry.pushTinyOdooBase("library/odoo:17.0", dir);
    Path module = Files.createDirectories(dir.resolve("addons/acme_sale"));
    Files.writeString(module.resolve("__manifest__.py"),
        "{'name': 'Acme sale', 'version': '17.0.1.0.0', 'depends': ['sale']}\n");
  }

  @AfterEach
  void stop() {
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void buildsWithTheDefaultTagPrintsJsonAndRefusesToMoveTheTagLater() throws Exception {
    String[] args = {"build", "--addons", dir.resolve("addons").toString(),
        "--base", registry.address() + "/library/odoo:17.0", "--image", registry.address() + "/acme/odoo",
        "--revision", "0123456789abcdef0123456789abcdef01234567", "--output", "json",
        "--cache-dir", dir.resolve("cache").toString()};

    BuildCommandTest.Run first = BuildCommandTest.run(Map.of(), args);

    assertThat(first.exitCode()).as(first.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(first.out());
    assertThat(json.get("tags").get(0).asText()).isEqualTo("17.0-0123456");
    assertThat(json.get("baseDigest").asText()).isEqualTo(baseDigest);
    assertThat(json.get("modules").get(0).get("name").asText()).isEqualTo("acme_sale");
    assertThat(json.get("modules").get(0).get("checksum").asText()).hasSize(40);
    String digest = json.get("digest").asText();
    assertThat(registry.skopeoInspect(registry.address() + "/acme/odoo:17.0-0123456")).contains(digest);

    BuildCommandTest.Run same = BuildCommandTest.run(Map.of(), args);
    assertThat(same.exitCode()).as("rebuilding the same inputs is a no-op").isZero();
    assertThat(new ObjectMapper().readTree(same.out()).get("createdTags")).isEmpty();

    Files.writeString(dir.resolve("addons/acme_sale/views.xml"), "<odoo/>\n");
    BuildCommandTest.Run changed = BuildCommandTest.run(Map.of(), args);
    assertThat(changed.exitCode()).isEqualTo(Main.REFUSED);
    assertThat(changed.err()).contains("error: tag collision in " + registry.address() + "/acme/odoo: 17.0-0123456 -> "
        + digest);
  }
}
