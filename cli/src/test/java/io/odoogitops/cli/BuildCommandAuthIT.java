package io.odoogitops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.odoogitops.image.BaseArchive;
import io.odoogitops.image.ImageConfig;
import io.odoogitops.image.LocalRegistry;
import io.odoogitops.testing.Prerequisites.Tool;
import io.odoogitops.testing.Requires;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code odoo-gitops build} pushing to a password-protected registry on loopback (plain HTTP), with the credentials
 * taken as a user would give them: variables named by flags, or a password file.
 */
@Requires({Tool.DOCKER_REGISTRY, Tool.SKOPEO})
class BuildCommandAuthIT {

  static final String PASSWORD = "s3cret-registry-token";

  @TempDir Path dir;
  LocalRegistry registry;
  String[] build;

  @BeforeEach
  void registry() throws Exception {
    registry = LocalRegistry.startWithBasicAuth(dir, "ci", PASSWORD);
    Files.createDirectories(dir.resolve("rootfs/etc/odoo"));
    BaseArchive base = BaseArchive.write(dir.resolve("rootfs"), "demo/odoo-base:17.0",
        ImageConfig.builder().user("odoo").entrypoint(List.of("/entrypoint.sh")).build(), dir.resolve("base.tar"));
    Path module = Files.createDirectories(dir.resolve("addons/acme_sale"));
    Files.writeString(module.resolve("__manifest__.py"), "{'version': '17.0.1.0.0', 'depends': ['sale']}\n");
    build = new String[] {"build", "--addons", dir.resolve("addons").toString(),
        "--base", "docker-archive:" + base.file(), "--image", registry.address() + "/acme/odoo",
        "--revision", "0123456789abcdef0123456789abcdef01234567", "--output", "json"};
  }

  @AfterEach
  void stop() {
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void pushesWithCredentialsFromNamedVariablesOrAPasswordFileAndNeverShowsThePassword() throws Exception {
    BuildCommandTest.Run fromVariables = BuildCommandTest.run(Map.of("CI_REGISTRY_USER", "ci",
        "CI_REGISTRY_TOKEN", PASSWORD), with("--registry-username-env", "CI_REGISTRY_USER",
        "--registry-password-env", "CI_REGISTRY_TOKEN", "--tag", "17.0-vars"));

    assertThat(fromVariables.exitCode()).as(fromVariables.err()).isZero();
    String digest = new ObjectMapper().readTree(fromVariables.out()).get("digest").asText();
    String inspect = registry.skopeoInspect(registry.address() + "/acme/odoo:17.0-vars", "--authfile",
        authFile().toString());
    assertThat(new ObjectMapper().readTree(inspect).get("Digest").asText()).isEqualTo(digest);

    Path passwordFile = Files.writeString(dir.resolve("registry-password"), PASSWORD + "\n");
    BuildCommandTest.Run fromFile = BuildCommandTest.run(Map.of("ODOO_GITOPS_REGISTRY_USERNAME", "ci"),
        with("--registry-password-file", passwordFile.toString(), "--tag", "17.0-file"));

    assertThat(fromFile.exitCode()).as(fromFile.err()).isZero();
    assertThat(new ObjectMapper().readTree(fromFile.out()).get("digest").asText())
        .as("the same inputs are the same image").isEqualTo(digest);

    BuildCommandTest.Run anonymous = BuildCommandTest.run(Map.of(), with("--tag", "17.0-anonymous"));
    assertThat(anonymous.exitCode()).isEqualTo(Main.INFRASTRUCTURE);
    assertThat(anonymous.err()).contains("requires credentials");

    assertThat(List.of(fromVariables.out(), fromVariables.err(), fromFile.out(), fromFile.err(), anonymous.err(),
        inspect)).noneMatch(output -> output.contains(PASSWORD));
  }

  private String[] with(String... more) {
    String[] args = new String[build.length + more.length];
    System.arraycopy(build, 0, args, 0, build.length);
    System.arraycopy(more, 0, args, build.length, more.length);
    return args;
  }

  /** A containers-auth.json for skopeo, so that the password is not on a command line. */
  private Path authFile() throws Exception {
    String auth = Base64.getEncoder().encodeToString(("ci:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    return Files.writeString(dir.resolve("auth.json"),
        "{\"auths\": {\"" + registry.address() + "\": {\"auth\": \"" + auth + "\"}}}");
  }
}
