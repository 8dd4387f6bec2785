package io.odoogitops.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.odoogitops.ImageDigest;
import io.odoogitops.ReleaseException;
import io.odoogitops.odoo.log.OdooLogLine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad configuration and flags become BAD_INPUT with a message that says what to write instead. */
class ClusterInputTest {

  private static final ImageDigest DIGEST = new ImageDigest("sha256:" + "d".repeat(64));

  private static void badInput(Runnable r, String messagePart) {
    assertThatThrownBy(r::run).isInstanceOfSatisfying(ReleaseException.class, e -> {
      assertThat(e.kind()).isEqualTo(ReleaseException.Kind.BAD_INPUT);
      assertThat(e.getMessage()).contains(messagePart);
    });
  }

  @Test
  void workloadIsKindSlashName() {
    assertThat(WorkloadRef.parse("Deployment/odoo")).isEqualTo(new WorkloadRef(WorkloadRef.Kind.DEPLOYMENT, "odoo"));
    assertThat(WorkloadRef.parse("sts/odoo-web").toString()).isEqualTo("statefulset/odoo-web");
    badInput(() -> WorkloadRef.parse("odoo"), "must be written kind/name");
    badInput(() -> WorkloadRef.parse("daemonset/odoo"), "is not supported");
    badInput(() -> WorkloadRef.parse("deployment/Odoo_Web"), "not a valid Kubernetes name");
  }

  @Test
  void targetNeedsAControllerAndSaneDurations() {
    var builder = ClusterTarget.builder().namespace("shop").workload("deployment/odoo");
    badInput(builder::build, "no GitOps controller configured");
    builder.argoApplication("shop-prod", null);
    assertThat(builder.build().controller().namespace()).isEqualTo("argocd");
    assertThat(builder.build().timeout()).isEqualTo(ClusterTarget.DEFAULT_TIMEOUT);
    badInput(() -> builder.timeout(Duration.ZERO).build(), "timeout must be a positive duration");
    badInput(() -> builder.timeout(Duration.ofSeconds(1)).pollInterval(Duration.ofSeconds(-5)).build(),
        "poll interval must be a positive duration");
    assertThat(ControllerRef.fluxKustomization("apps", null).namespace()).isEqualTo("flux-system");
  }

  @Test
  void requestNeedsACommitIdAndADigest() {
    var ok = new VerificationRequest("prod", "shop", " 0A1B2C3D ", DIGEST, false);
    assertThat(ok.commit()).as("normalized").isEqualTo("0a1b2c3d");
    badInput(() -> new VerificationRequest("prod", "shop", "main", DIGEST, false), "is not a git commit id");
    badInput(() -> new VerificationRequest("prod", "shop", "0a1b2c3d", ImageDigest.parse("latest", "digest"), false), "is not an image digest");
    badInput(() -> new VerificationRequest("", "shop", "0a1b2c3d", DIGEST, false), "no environment");
  }

  @Test
  void upgradeJobNeedsAPinnedImageAndValidNames() {
    var db = new DatabaseCredentials("pg", 5432, "odoo", "pw");
    var builder = UpgradeJobSpec.builder().namespace("staging").modules(List.of("sale")).database("shop_clone")
        .credentials(db);
    badInput(() -> builder.image("registry/shop/odoo:17.0").build(), "must be pinned by digest");
    // The one grammar (ImageRef), the Docker runner's: a row per reference.
    for (String refused : List.of("registry/Shop/odoo@" + DIGEST, " registry/shop/odoo@" + DIGEST,
        "registry/shop/odoo@sha256:abc", "registry/shop/odoo@md5:" + DIGEST.value().substring(7),
        "@" + DIGEST, "registry/shop/odoo@" + DIGEST.value().toUpperCase(java.util.Locale.ROOT))) {
      badInput(() -> builder.image(refused).build(), "upgrade job image '" + refused + "' must be pinned by digest");
    }
    for (String accepted : List.of("localhost:5000/shop/odoo@" + DIGEST, "odoo:17.0@" + DIGEST,
        "127.0.0.1:5000/odoo@" + DIGEST)) {
      assertThat(builder.image(accepted).build().image()).isEqualTo(accepted);
    }
    builder.image("registry/shop/odoo@" + DIGEST);
    assertThat(builder.build().odooArguments())
        .containsExactly("-u", "sale", "--stop-after-init", "--workers=0", "-d", "shop_clone");
    assertThat(builder.install(List.of("acme_base", "acme_core")).build().odooArguments()).containsExactly("-u",
        "sale", "-i", "acme_base,acme_core", "--stop-after-init", "--workers=0", "-d", "shop_clone");
    assertThat(builder.modules(List.of()).build().odooArguments()).as("only installs")
        .containsExactly("-i", "acme_base,acme_core", "--stop-after-init", "--workers=0", "-d", "shop_clone");
    badInput(() -> builder.install(List.of()).build(), "no modules to upgrade or install");
    badInput(() -> builder.install(List.of("acme,--load=x")).build(), "is not an Odoo module name");
    builder.install(null);
    badInput(() -> builder.modules(List.of("sale; rm -rf /")).build(), "is not an Odoo module name");
    badInput(() -> builder.modules(List.of("sale")).database("--db-filter=.*").build(), "not a valid Odoo database");
    badInput(() -> new DatabaseCredentials("pg", 0, "odoo", "pw"), "out of range");
  }

  @Test
  void secretsNeverShowInDescriptions() {
    assertThat(new DatabaseCredentials("pg", 5432, "odoo", "hunter2").toString())
        .isEqualTo("odoo@pg:5432 (password hidden)");
    assertThat(ClusterConnection.token("https://k8s.example.com:6443", "hunter2", null).toString())
        .isEqualTo("token for https://k8s.example.com:6443");
    badInput(() -> ClusterConnection.token("k8s.example.com", "t", null), "must start with https://");
    badInput(() -> ClusterConnection.token("https://k8s.example.com", " ", null), "no token given");
  }

  @Test
  void unusableKubeconfigIsBadInput(@TempDir Path dir) throws Exception {
    badInput(() -> ClusterConnection.kubeconfig(dir.resolve("missing"), null).open(), "does not exist");
    Path kubeconfig = dir.resolve("config");
    Files.writeString(kubeconfig, """
        apiVersion: v1
        kind: Config
        clusters:
        - name: prod
          cluster: { server: "https://127.0.0.1:6443" }
        users:
        - name: ci
          user: { token: not-shown }
        contexts:
        - name: prod
          context: { cluster: prod, user: ci, namespace: shop }
        current-context: prod
        """);
    badInput(() -> ClusterConnection.kubeconfig(kubeconfig, "staging").open(), "has no context 'staging'");
    try (var client = ClusterConnection.kubeconfig(kubeconfig, "prod").open()) {
      assertThat(client.getMasterUrl().toString()).startsWith("https://127.0.0.1:6443");
      assertThat(client.getNamespace()).isEqualTo("shop");
    }
  }

  @Test
  void inClusterOutsideAPodIsBadInput(@TempDir Path serviceAccount) throws Exception {
    var env = java.util.Map.of("KUBERNETES_SERVICE_HOST", "10.0.0.1", "KUBERNETES_SERVICE_PORT", "443");
    badInput(() -> ClusterConnection.inCluster(serviceAccount, java.util.Map.of()).open(),
        "not running inside a Kubernetes pod");
    badInput(() -> ClusterConnection.inCluster(serviceAccount, env).open(), "token");
    Files.writeString(serviceAccount.resolve("token"), "sa-token");
    assertThat(ClusterConnection.inCluster(serviceAccount, env).toString()).isEqualTo("in-cluster service account");
  }

  @Test
  void odooLogLevelsAreParsed() {
    var line = OdooLogLine.parse(
        "2026-11-23 10:00:04,000 7 ERROR shop_clone odoo.modules.migration: module x: failed").orElseThrow();
    assertThat(line.level()).isEqualTo("ERROR");
    assertThat(line.logger()).isEqualTo("odoo.modules.migration");
    assertThat(line.failing()).isTrue();
    assertThat(OdooLogLine.parse("2026-11-23 10:00:04,000 7 WARNING ? odoo.fields: deprecated").orElseThrow()
        .failing()).isFalse();
    assertThat(OdooLogLine.parse("Traceback (most recent call last):")).isEmpty();
    assertThat(OdooLogLine.parse("  raise ValueError('ERROR in data')")).isEmpty();
  }
}
