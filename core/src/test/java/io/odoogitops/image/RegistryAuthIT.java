package io.odoogitops.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.odoogitops.ReleaseException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A registry that requires authentication: refusals are clear infrastructure errors that never show the secret. */
class RegistryAuthIT {

  static final String PASSWORD = "correct-horse-battery";

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
    RegistryApi api = new RegistryApi(RegistryAccess.to(registry.address(), java.util.Optional.empty(), false));

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
  void theRightPasswordIsAccepted() {
    RegistryApi api = new RegistryApi(RegistryAccess.to(registry.address(),
        java.util.Optional.of(new RegistryCredentials("ci", PASSWORD)), false));

    assertThat(api.digestOf("acme/odoo", "17.0")).isEmpty();
  }
}
