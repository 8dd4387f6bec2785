package io.odoogitops.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.odoogitops.ReleaseException;
import io.odoogitops.testing.Prerequisites.Tool;
import io.odoogitops.testing.Requires;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry that requires authentication, served over plain HTTP on loopback: the right credentials push and pull
 * (jib may send them over plain HTTP to loopback), refusals are clear infrastructure errors, and the secret never
 * shows.
 */
@Requires({Tool.DOCKER_REGISTRY, Tool.SKOPEO})
class RegistryAuthIT {

  static final String PASSWORD = "correct-horse-battery";
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  static LocalRegistry registry;

  @BeforeAll
  static void start() throws Exception {
    registry = LocalRegistry.startWithBasicAuth(dir, "ci", PASSWORD);
  }

  @AfterAll
  static void stop() {
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void anonymousAccessIsRefusedWithAHintWhereCredentialsComeFrom() {
    RegistryApi api = new RegistryApi(RegistryAccess.to(registry.address(), Optional.empty(), false));

    assertThatThrownBy(() -> api.digestOf("acme/odoo", "17.0"))
        .isInstanceOfSatisfying(ReleaseException.class,
            e -> assertThat(e.kind()).isEqualTo(ReleaseException.Kind.INFRASTRUCTURE))
        .hasMessageContaining("registry " + registry.address() + " requires credentials")
        .hasMessageContaining("environment or a file");
  }

  @Test
  void aWrongPasswordIsRefusedWithoutShowingIt() throws Exception {
    Path addons = ImageBuildIT.sampleAddons(dir.resolve("addons"));

    assertThatThrownBy(() -> ImageBuild.run(BuildRequest.builder()
        .addonsDir(addons)
        .baseImage(registry.address() + "/library/odoo:17.0")
        .image(registry.address() + "/acme/odoo")
        .tag("x")
        .registryCredentials(new RegistryCredentials("ci", "wrong-password"))
        .build()))
        .isInstanceOfSatisfying(ReleaseException.class,
            e -> assertThat(e.kind()).isEqualTo(ReleaseException.Kind.INFRASTRUCTURE))
        .hasMessageContaining("refused the credentials of user 'ci' (HTTP 401)")
        .hasMessageNotContaining("wrong-password");
  }

  @Test
  void theRightCredentialsPushAnImageReadableWithThemAndPullItAsABase() throws Exception {
    BaseArchive base = BaseArchive.write(ArchiveBaseBuildTest.rootfs(dir.resolve("rootfs")),
        "odoo-gitops/demo-base:17.0", ArchiveBaseBuildTest.ODOO_LIKE, dir.resolve("base.tar"));
    Path addons = ImageBuildIT.sampleAddons(dir.resolve("pushed-addons"));
    RegistryCredentials credentials = new RegistryCredentials("ci", PASSWORD);
    List<String> progress = new ArrayList<>();
    String image = registry.address() + "/acme/odoo";

    BuildResult pushed = ImageBuild.run(BuildRequest.builder()
        .addonsDir(addons)
        .baseImage("docker-archive:" + base.file())
        .image(image)
        .tag("17.0-auth")
        .registryCredentials(credentials)
        .progress(progress::add)
        .build());

    assertThat(pushed.createdTags()).containsExactly("17.0-auth");
    assertThat(System.getProperty(PlainHttpCredentials.PROPERTY)).as("jib's JVM-wide switch is restored").isNull();
    String inspect = registry.skopeoInspect(image + ":17.0-auth", "--authfile", authFile("ci", PASSWORD).toString());
    assertThat(JSON.readTree(inspect).get("Digest").asText()).isEqualTo(pushed.digest().value());
    assertThatThrownBy(() -> registry.skopeoInspect(image + ":17.0-auth"))
        .as("the registry really requires the credentials").hasMessageContaining("authentication required");

    // The pushed image as the base of the next build: jib pulls it with the same credentials.
    BuildResult onTop = ImageBuild.run(BuildRequest.builder()
        .addonsDir(ImageBuildIT.sampleAddons(dir.resolve("on-top-addons")))
        .baseImage(image + ":17.0-auth")
        .image(registry.address() + "/acme/odoo-extended")
        .tag("17.0-auth")
        .registryCredentials(credentials)
        .progress(progress::add)
        .build());

    assertThat(onTop.baseDigest()).isEqualTo(pushed.digest());
    JsonNode labels = JSON.readTree(registry.skopeoInspect(registry.address() + "/acme/odoo-extended:17.0-auth",
        "--authfile", authFile("ci", PASSWORD).toString())).get("Labels");
    assertThat(labels.get(ImageLabels.BASE_DIGEST).asText()).isEqualTo(pushed.digest().value());
    assertThat(String.join("\n", progress) + pushed.toJson() + onTop.toJson() + inspect).doesNotContain(PASSWORD);
  }

  @Test
  void theRightPasswordIsAccepted() {
    RegistryApi api = new RegistryApi(RegistryAccess.to(registry.address(),
        Optional.of(new RegistryCredentials("ci", PASSWORD)), false));

    assertThat(api.digestOf("acme/odoo", "17.0")).isEmpty();
  }

  /** A containers-auth.json for skopeo, so that the password is not on a command line. */
  static Path authFile(String user, String password) throws Exception {
    String auth = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    return Files.writeString(dir.resolve("auth.json"),
        "{\"auths\": {\"" + registry.address() + "\": {\"auth\": \"" + auth + "\"}}}");
  }
}
