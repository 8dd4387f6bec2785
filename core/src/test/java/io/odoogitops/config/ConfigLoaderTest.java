package io.odoogitops.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.odoogitops.ReleaseException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {

  static ReleaseConfig load(String yaml) {
    return ConfigLoader.load(yaml.getBytes(StandardCharsets.UTF_8), "odoo-gitops.yaml");
  }

  static final String VALID = """
      timeZone: Europe/Brussels
      applications:
        odoo: { image: registry.example.com/acme/odoo, container: web }
      environments:
        staging: { path: envs/staging, layout: kustomize }
        production:
          path: ./envs/production/
          layout: helm
          file: values-prod.yaml
          promoteFrom: staging
      """;

  @Test
  void validFileLoadsIntoNamedRecordsWithDefaults() {
    ReleaseConfig config = load(VALID);
    assertThat(config.environments()).containsOnlyKeys("staging", "production");
    EnvironmentSpec prod = config.environment("production");
    assertThat(prod.name()).isEqualTo("production");
    assertThat(prod.layout()).isEqualTo(Layout.HELM);
    assertThat(prod.manifestFile()).isEqualTo("envs/production/values-prod.yaml");
    assertThat(config.environment("staging").manifestFile()).isEqualTo("envs/staging/kustomization.yaml");
    assertThat(config.application("odoo").containerName()).isEqualTo("web");
    assertThat(config.application("odoo").helm().digest()).isEqualTo("image.digest");
  }

  @Test
  void unknownKeysAreReportedWithLineAndTheAllowedKeys() {
    assertThatThrownBy(() -> load(VALID.replace("promoteFrom: staging", "promoteFrom: staging\n    promotFrom: x")))
        .isInstanceOf(ReleaseException.class)
        .hasMessageContaining("odoo-gitops.yaml:11:")
        .hasMessageContaining("unknown key 'promotFrom'")
        .hasMessageContaining("promoteFrom");
  }

  @Test
  void semanticProblemsAreAllReportedWithTheirLines() {
    String bad = """
        timeZone: Europe/Brusels
        applications:
          odoo: { image: registry.example.com/acme/odoo:17.0 }
        environments:
          staging: { path: ../outside, layout: kustomize }
          production: { path: /abs, layout: kustomize, promoteFrom: qa }
        """;
    assertThatThrownBy(() -> load(bad))
        .satisfies(e -> assertThat(((ReleaseException) e).kind()).isEqualTo(ReleaseException.Kind.BAD_INPUT))
        .hasMessageContaining("odoo-gitops.yaml:1: timeZone: unknown time zone 'Europe/Brusels'")
        .hasMessageContaining("odoo-gitops.yaml:3: applications.odoo.image:")
        .hasMessageContaining("odoo-gitops.yaml:5: environments.staging.path: '../outside' escapes the repository")
        .hasMessageContaining("odoo-gitops.yaml:6: environments.production.path: '/abs' is absolute")
        .hasMessageContaining("odoo-gitops.yaml:6: environments.production.promoteFrom: 'qa' is not an environment");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', nullValues = "-", value = {
      "registry.example.com/acme/odoo      | -",
      "odoo                                | -",
      "registry.example.com:5000/acme/odoo | -",
      "localhost:5000/acme/odoo            | -",
      "localhost/odoo                      | -",
      "127.0.0.1:5000/odoo                 | -",
      "registry.example.com/Acme/odoo      | is not a valid image repository: use [registry[:port]/]path",
      "Odoo                                | is not a valid image repository",
      "registry.example.com/acme/odoo:17.0 | must be a repository without tag or digest",
      "localhost:5000/acme/odoo:17.0       | must be a repository without tag or digest",
      "odoo:latest                         | must be a repository without tag or digest",
      "registry.example.com/acme/odoo@sha256:1111111111111111111111111111111111111111111111111111111111111111"
          + " | must be a repository without tag or digest",
      "registry.example.com/acme/odoo:17.0@sha256:1111111111111111111111111111111111111111111111111111111111111111"
          + " | must be a repository without tag or digest",
  })
  void applicationImagesAreReadWithTheOneGrammarAndMustBeBare(String image, String problem) {
    String yaml = VALID.replace("image: registry.example.com/acme/odoo,", "image: '" + image + "',");
    if (problem == null) {
      assertThat(load(yaml).application("odoo").image()).isEqualTo(image);
    } else {
      assertThatThrownBy(() -> load(yaml))
          .satisfies(e -> assertThat(((ReleaseException) e).kind()).isEqualTo(ReleaseException.Kind.BAD_INPUT))
          .hasMessageContaining("odoo-gitops.yaml:3: applications.odoo.image: '" + image + "' " + problem);
    }
  }

  @Test
  void badLayoutsCyclesAndEmptyFilesAreRefused() {
    assertThatThrownBy(() -> load(VALID.replace("layout: helm", "layout: jsonnet")))
        .hasMessageContaining("odoo-gitops.yaml:8:").hasMessageContaining("unknown layout 'jsonnet'");
    assertThatThrownBy(() -> load(VALID.replace("staging: { path: envs/staging, layout: kustomize }",
        "staging: { path: envs/staging, layout: kustomize, promoteFrom: production }")))
        .hasMessageContaining("promoteFrom forms a cycle");
    assertThatThrownBy(() -> load("")).hasMessageContaining("odoo-gitops.yaml:1: the file is empty");
    assertThatThrownBy(() -> load("environments: [")).hasMessageContaining("invalid YAML");
  }

  @Test
  void aliasBombsAndHugeFilesAreRefusedBeforeTheyCostMemory() {
    StringBuilder bomb = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for (char c = 'b'; c <= 'j'; c++) {
      char p = (char) (c - 1);
      bomb.append(c).append(": &").append(c).append(" [").append(("*" + p + ",").repeat(8)).append("*")
          .append(p).append("]\n");
    }
    assertThatThrownBy(() -> load(bomb.toString())).hasMessageContaining("refused");
    byte[] huge = new byte[ConfigLoader.MAX_BYTES + 1];
    java.util.Arrays.fill(huge, (byte) '#');
    assertThatThrownBy(() -> ConfigLoader.load(huge, "odoo-gitops.yaml")).hasMessageContaining("limit");
  }

  @Test
  void clusterBlocksNeedAWorkloadAndExactlyOneController() {
    ReleaseConfig ok = load(VALID.replace("promoteFrom: staging", """
        promoteFrom: staging
            cluster: { namespace: shop, workload: deployment/odoo, argo: { application: shop }, autoRollback: true }"""));
    assertThat(ok.environment("production").cluster().argo().namespace()).isEqualTo("argocd");
    assertThat(ok.environment("production").cluster().autoRollback()).isTrue();
    assertThatThrownBy(() -> load(VALID.replace("promoteFrom: staging", """
        promoteFrom: staging
            cluster:
              namespace: shop
              workload: pod/odoo
              argo: { application: shop }
              flux: { kustomization: shop }
              timeout: PT0S""")))
        .hasMessageContaining("odoo-gitops.yaml:13: environments.production.cluster.workload: name the workload as")
        .hasMessageContaining("name exactly one GitOps controller")
        .hasMessageContaining("cluster.timeout: must be a positive");
  }

  @Test
  void anUpgradeJobBlockNamesItsDatabaseHostAndValidNamesOnly() {
    ReleaseConfig ok = load(VALID.replace("promoteFrom: staging", """
        promoteFrom: staging
            cluster:
              namespace: shop
              workload: deployment/odoo
              argo: { application: shop }
              upgradeJob: { namespace: shop-upgrades, databaseHost: pg-acme.staging.svc }"""));
    assertThat(ok.environment("production").cluster().upgradeJob().databaseHost()).isEqualTo("pg-acme.staging.svc");
    for (String host : List.of("10.0.0.7", "fd00::7", "pg")) {
      assertThat(load(VALID.replace("promoteFrom: staging", """
          promoteFrom: staging
              cluster:
                namespace: shop
                workload: deployment/odoo
                argo: { application: shop }
                upgradeJob: { namespace: shop-upgrades, databaseHost: "%s" }""".formatted(host)))
          .environment("production").cluster().upgradeJob().databaseHost()).isEqualTo(host);
    }
    assertThatThrownBy(() -> load(VALID.replace("promoteFrom: staging", """
        promoteFrom: staging
            cluster:
              namespace: shop
              workload: deployment/odoo
              argo: { application: shop }
              upgradeJob:
                namespace: Shop_Upgrades
                serviceAccount: "odoo upgrade"
                timeout: PT0S
                databaseHost: 'pg.svc; rm -rf /'""")))
        .hasMessageContaining("environments.production.cluster.upgradeJob.namespace: 'Shop_Upgrades' is not a"
            + " Kubernetes namespace name")
        .hasMessageContaining("upgradeJob.serviceAccount: 'odoo upgrade' is not a Kubernetes service account name")
        .hasMessageContaining("upgradeJob.timeout: must be a positive")
        .hasMessageContaining("upgradeJob.databaseHost: 'pg.svc; rm -rf /' is not a host name or IP address");
  }

  @Test
  void unknownEnvironmentOrApplicationNamesTheKnownOnes() {
    ReleaseConfig config = load(VALID);
    assertThatThrownBy(() -> config.environment("prod"))
        .hasMessageContaining("unknown environment 'prod'").hasMessageContaining("staging, production");
    assertThatThrownBy(() -> config.application("crm")).hasMessageContaining("defines odoo");
  }

  @Test
  void aDuplicateEnvironmentIsReportedAtItsOwnLine() {
    String duplicate = VALID + "  staging: { path: envs/other, layout: kustomize }\n";

    assertThatThrownBy(() -> load(duplicate))
        .isInstanceOfSatisfying(ReleaseException.class,
            e -> assertThat(e.kind()).isEqualTo(ReleaseException.Kind.BAD_INPUT))
        .hasMessageStartingWith("odoo-gitops.yaml:11: ")
        .hasMessageContaining("environments: duplicate key 'staging' (first at line 5)");
  }

  @Test
  void aDuplicateKeyDeeperDownIsReportedAtItsOwnLineToo() {
    String duplicate = VALID.replace("promoteFrom: staging", "promoteFrom: staging\n    layout: kustomize");

    assertThatThrownBy(() -> load(duplicate))
        .hasMessageStartingWith("odoo-gitops.yaml:11: ")
        .hasMessageContaining("environments.production: duplicate key 'layout' (first at line 8)");
  }

  @Test
  void anUnknownLayoutNamesTheAllowedValuesOnlyAtItsLine() {
    assertThatThrownBy(() -> load(VALID.replace("layout: helm", "layout: jsonnet")))
        .hasMessage("odoo-gitops.yaml:8: environments.production.layout: unknown layout 'jsonnet'; use one of"
            + " kustomize, helm, manifest");
  }

  @Test
  void wrongTypesSayWhatYamlIsExpectedWithoutJavaTypes() {
    assertThatThrownBy(() -> load(VALID.replace("promoteFrom: staging",
        "promoteFrom: staging\n    gate: { approvals: two }")))
        .hasMessageContaining("odoo-gitops.yaml:11: environments.production.gate.approvals: 'two' is not valid;"
            + " expected a number here")
        .hasMessageNotContaining("java").hasMessageNotContaining("`");
    assertThatThrownBy(() -> load(VALID.replace("staging: { path: envs/staging, layout: kustomize }",
        "staging: [envs/staging]")))
        .hasMessageContaining("odoo-gitops.yaml:5: environments.staging: expected a mapping (key: value) here")
        .hasMessageNotContaining("EnvironmentSpec");
  }

  @Test
  void automationIsReadAndItsApplicationFileMustStayInTheRepository() {
    ReleaseConfig config = load(VALID + "    automation: { pinOnRollback: true, argocdApplication: ./argocd/prod.yaml }\n");
    AutomationSpec automation = config.environment("production").automation();
    assertThat(automation.pinOnRollback()).isTrue();
    assertThat(automation.applicationFile()).isEqualTo("argocd/prod.yaml");
    assertThat(config.environment("staging").automation()).isNull();

    assertThatThrownBy(() -> load(VALID + "    automation: { argocdApplication: ../prod.yaml }\n"))
        .hasMessageContaining("odoo-gitops.yaml:11: environments.production.automation.argocdApplication:"
            + " '../prod.yaml' escapes the repository");
    assertThatThrownBy(() -> load(VALID + "    automation: { pinOnRolback: true }\n"))
        .hasMessageContaining("unknown key 'pinOnRolback'");
  }
}
