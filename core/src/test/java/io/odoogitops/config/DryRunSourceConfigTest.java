package io.odoogitops.config;

import static io.odoogitops.config.ConfigLoaderTest.load;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.odoogitops.ReleaseException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code environments.<e>.dryRun.source}: the block {@code restore.dump.database} is, checked the same way. */
class DryRunSourceConfigTest {

  private static final String HEAD = """
      applications:
        shop: { image: registry.example.com/acme/odoo }
      environments:
        acme:
          path: envs/acme
          layout: kustomize
      """;

  @TempDir
  Path dir;

  @Test
  void aSourceLoadsAndItsPasswordComesFromTheNamedVariableOrFile() throws Exception {
    EnvironmentSpec acme = load(HEAD + """
            dryRun:
              source: { url: "jdbc:postgresql://db.acme.internal:5432/odoo", user: dryrun, passwordEnv: ACME_PG }
        """).environment("acme");
    RestoreSpec.Database source = acme.dryRun().source();
    assertThat(source.url()).isEqualTo("jdbc:postgresql://db.acme.internal:5432/odoo");
    assertThat(source.user()).isEqualTo("dryrun");
    assertThat(source.password(Map.of("ACME_PG", "s3cret"), "environments.acme.dryRun.source"))
        .isEqualTo("s3cret");
    assertThatThrownBy(() -> source.password(Map.of(), "environments.acme.dryRun.source"))
        .isInstanceOf(ReleaseException.class)
        .hasMessage("the environment variable ACME_PG named by environments.acme.dryRun.source.passwordEnv is not"
            + " set; export the password in it");

    Path secret = Files.writeString(dir.resolve("pg"), "from-a-file\n");
    RestoreSpec.Database fromFile = load(HEAD + "    dryRun:\n      source: { url: \"jdbc:postgresql://db/odoo\","
        + " user: dryrun, passwordFile: \"" + secret + "\" }\n").environment("acme").dryRun().source();
    assertThat(fromFile.password(Map.of(), "k")).isEqualTo("from-a-file");
    assertThat(load(HEAD).environment("acme").dryRun()).isNull();
  }

  @Test
  void everyProblemOfTheSourceIsReportedWithItsLineAndNoSecretIsEchoed() {
    String bad = HEAD + """
            dryRun:
              source:
                url: "jdbc:postgresql://app:hunter2@db:5432/odoo?sslmode=disable"
                passwordEnv: "hunter2 is the password"
                passwordFile: relative/secret
        """;
    assertThatThrownBy(() -> load(bad))
        .isInstanceOf(ReleaseException.class)
        .satisfies(e -> assertThat(e.getMessage())
            .contains("odoo-gitops.yaml:9: environments.acme.dryRun.source.url: write"
                + " jdbc:postgresql://host:port/database, without credentials or parameters")
            .contains("odoo-gitops.yaml:8: environments.acme.dryRun.source: 'user' is required")
            .contains("environments.acme.dryRun.source: give the password by 'passwordEnv' or by 'passwordFile',"
                + " not both")
            .contains("odoo-gitops.yaml:10: environments.acme.dryRun.source.passwordEnv: must name an environment"
                + " variable")
            .contains("odoo-gitops.yaml:11: environments.acme.dryRun.source.passwordFile: 'relative/secret' must be"
                + " an absolute path")
            .doesNotContain("hunter2"));
  }

  @Test
  void aDryRunBlockWithoutSourceOrWithUnknownKeysIsRefused() {
    assertThatThrownBy(() -> load(HEAD + "    dryRun: {}\n"))
        .hasMessageContaining("odoo-gitops.yaml:7: environments.acme.dryRun: 'source' is required");
    assertThatThrownBy(() -> load(HEAD + "    dryRun:\n      source: { url: \"jdbc:postgresql://db/odoo\","
        + " user: u, password: hunter2 }\n"))
        .hasMessageContaining("unknown key 'password'")
        .hasMessageContaining("passwordEnv, passwordFile");
  }
}
