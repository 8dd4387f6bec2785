package io.odoogitops.config;

import static io.odoogitops.config.ConfigLoaderTest.load;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.odoogitops.ReleaseException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RestorePointConfigTest {

  private static final String HEAD = """
      applications:
        shop: { image: registry.example.com/acme/odoo }
      environments:
        production:
          path: envs/production
          layout: kustomize
      """;

  private static final String CLUSTER = """
          cluster:
            namespace: shop
            workload: deployment/odoo
            argo: { application: shop-production }
      """;

  @Test
  void cloudNativePGKindLoadsWithDefaults() {
    ReleaseConfig config = load(HEAD + "    restorePoint: whenRestoreRequired\n" + CLUSTER
        + "      cloudNativePG: { cluster: odoo-db }\n");
    EnvironmentSpec prod = config.environment("production");
    assertThat(prod.restorePoint()).isEqualTo(RestorePointPolicy.WHEN_RESTORE_REQUIRED);
    assertThat(prod.cloudNativePG()).get().satisfies(c -> {
      assertThat(c.cluster()).isEqualTo("odoo-db");
      assertThat(c.timeout()).isEqualTo(Duration.ofHours(1));
    });
    assertThat(prod.dump()).isEmpty();
    assertThat(prod.restorePoint().requires(false)).isFalse();
    assertThat(prod.restorePoint().requires(true)).isTrue();
    assertThat(RestorePointPolicy.REQUIRED.requires(false)).isTrue();
    assertThat(RestorePointPolicy.OFF.requires(true)).isFalse();
  }

  @Test
  void dumpKindWithFilestoreCopyLoads() {
    ReleaseConfig config = load(HEAD + """
            restorePoint: required
            restore:
              dump:
                location: /srv/restore-points
                jobs: 4
                database: { url: "jdbc:postgresql://db.internal:5432/odoo", user: backup, passwordEnv: PROD_PG }
              filestore:
                copy: { from: /var/lib/odoo/filestore/odoo, to: /srv/restore-points/filestore }
        """);
    EnvironmentSpec prod = config.environment("production");
    assertThat(prod.dump()).get().satisfies(d -> {
      assertThat(d.jobs()).isEqualTo(4);
      assertThat(d.timeout()).isEqualTo(Duration.ofHours(2));
      assertThat(d.database().passwordEnv()).isEqualTo("PROD_PG");
    });
    assertThat(prod.restore().filestore().copy().to()).isEqualTo("/srv/restore-points/filestore");
  }

  @Test
  void defaultIsOffAndNeedsNothing() {
    assertThat(load(HEAD).environment("production").restorePoint()).isEqualTo(RestorePointPolicy.OFF);
  }

  @Test
  void aPolicyWithoutAWayToTakePointsIsReportedAtItsLine() {
    assertThatThrownBy(() -> load(HEAD + "    restorePoint: required\n"))
        .isInstanceOf(ReleaseException.class)
        .hasMessageContaining("odoo-gitops.yaml:7: environments.production.restorePoint: 'required' needs a way");
  }

  @Test
  void unknownPolicyValueNamesTheAllowedOnes() {
    assertThatThrownBy(() -> load(HEAD + "    restorePoint: always\n"))
        .isInstanceOf(ReleaseException.class)
        .hasMessageContaining("odoo-gitops.yaml:7:")
        .hasMessageContaining("required, whenRestoreRequired, off");
  }

  @Test
  void everyDumpAndFilestoreProblemIsReportedWithItsLine() {
    String bad = HEAD + """
            restorePoint: required
            restore:
              dump:
                location: relative/dir
                jobs: 0
                database:
                  url: "jdbc:postgresql://app:secret@db:5432/odoo?options=-c%20default_transaction_read_only%3Doff"
                  passwordEnv: "hunter2 is the password"
                  passwordFile: /run/secrets/pg
              filestore:
                volumeSnapshot: { pvc: Odoo_Data }
                copy: { from: /a, to: /b }
        """;
    assertThatThrownBy(() -> load(bad))
        .isInstanceOf(ReleaseException.class)
        .satisfies(e -> assertThat(e.getMessage())
            .contains("odoo-gitops.yaml:10: environments.production.restore.dump.location: 'relative/dir' must be an"
                + " absolute path")
            .contains("odoo-gitops.yaml:11: environments.production.restore.dump.jobs: must be between 1 and 64")
            .contains("odoo-gitops.yaml:13: environments.production.restore.dump.database.url: write"
                + " jdbc:postgresql://host:port/database")
            .contains("restore.dump.database: 'user' is required")
            .contains("not both")
            .contains("must name an environment variable")
            .contains("odoo-gitops.yaml:16: environments.production.restore.filestore: name exactly one of")
            .doesNotContain("secret@").doesNotContain("hunter2"));
  }

  @Test
  void cloudNativePGProblemsAndTwoKindsAreRefused() {
    String bad = HEAD + "    restorePoint: required\n" + CLUSTER + """
              cloudNativePG: { cluster: Odoo_DB, method: pg_basebackup, timeout: PT0S }
            restore:
              dump:
                location: /srv/points
                database: { url: "jdbc:postgresql://db/odoo", user: backup }
        """;
    assertThatThrownBy(() -> load(bad))
        .isInstanceOf(ReleaseException.class)
        .satisfies(e -> assertThat(e.getMessage())
            .contains("cluster.cloudNativePG.cluster: 'Odoo_DB' is not a Kubernetes name")
            .contains("cluster.cloudNativePG.method: 'pg_basebackup' is not a backup method")
            .contains("cluster.cloudNativePG.timeout: must be a positive")
            .contains("restore.dump: restore points are taken one way"));
  }

  @Test
  void theDatabaseSwitchLoadsAndItsProblemsAreReportedAtTheirLines() {
    ReleaseConfig config = load(HEAD + "    restore: { switch: { file: values.yaml, path: odoo.database.host } }\n");
    assertThat(config.environment("production").restore().databaseSwitch())
        .isEqualTo(new RestoreSpec.Switch("values.yaml", "odoo.database.host"));

    String bad = HEAD + """
            restore:
              switch:
                file: ../other/values.json
                path: "odoo database"
        """;
    assertThatThrownBy(() -> load(bad))
        .isInstanceOf(ReleaseException.class)
        .satisfies(e -> assertThat(e.getMessage())
            .contains("odoo-gitops.yaml:9: environments.production.restore.switch.file: '../other/values.json' must"
                + " be a .yaml or .yml file relative to the environment's path")
            .contains("environments.production.restore.switch.path: 'path' must be dotted mapping keys"));
    assertThatThrownBy(() -> load(HEAD + "    restore: { switch: { path: odoo.db } }\n"))
        .hasMessageContaining("restore.switch: 'file' is required");
  }
}
