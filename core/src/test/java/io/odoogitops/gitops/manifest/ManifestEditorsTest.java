package io.odoogitops.gitops.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.odoogitops.ImageDigest;
import io.odoogitops.ImageRef;
import io.odoogitops.ReleaseException;
import io.odoogitops.config.ApplicationSpec;
import io.odoogitops.config.HelmPaths;
import io.odoogitops.config.Layout;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Only the bytes of the changed scalars may differ: everything else a reviewer sees must stay as it was. */
class ManifestEditorsTest {

  static final ImageDigest D1 = new ImageDigest("sha256:" + "1".repeat(64));
  static final ImageDigest D2 = new ImageDigest("sha256:" + "2".repeat(64));
  static final ImageRef NEW = new ImageRef("registry.example.com/acme/odoo", "17.0-abc1234", D2);
  static final ApplicationSpec ODOO = new ApplicationSpec("odoo", "registry.example.com/acme/odoo", null, null, null);

  @Test
  void kustomizeKeepsCommentsQuotingOrderAndOtherEntries() {
    String before = """
        # production overlay — reviewed by release managers
        apiVersion: kustomize.config.k8s.io/v1beta1
        kind: Kustomization
        resources: [../../base, ./pdb.yaml]   # flow style stays
        images:
          - name: registry.example.com/acme/odoo   # the Odoo image
            newTag: '17.0-old'
            digest: "%s"
          - {name: nginx, newTag: "1.25"}
        patches:
          - path: resources.yaml
        description: |
          a block scalar
            with indentation
        """.formatted(D1);
    String after = edit(Layout.KUSTOMIZE, "kustomization.yaml", before, ODOO, NEW);
    assertThat(after).isEqualTo(before.replace("'17.0-old'", "'17.0-abc1234'").replace(D1.value(), D2.value()));
  }

  @Test
  void kustomizeAddsMissingDigestOnItsOwnLineWithTheEntryIndentation() {
    String before = "images:\n"
        + "- name: registry.example.com/acme/odoo\n"
        + "  newTag: 17.0-old  # moving tag\n"
        + "other: true\n";
    String after = edit(Layout.KUSTOMIZE, "k.yaml", before, ODOO, NEW);
    assertThat(after).isEqualTo("images:\n"
        + "- name: registry.example.com/acme/odoo\n"
        + "  newTag: 17.0-abc1234  # moving tag\n"
        + "  digest: " + D2 + "\n"
        + "other: true\n");
  }

  @Test
  void kustomizeInFlowMappingAndCrlfLineEndings() {
    String before = "images: [{name: registry.example.com/acme/odoo, newTag: old, digest: " + D1 + "}]\r\n"
        + "# trailing comment\r\n";
    String after = edit(Layout.KUSTOMIZE, "k.yaml", before, ODOO, NEW);
    assertThat(after).isEqualTo(before.replace("newTag: old", "newTag: 17.0-abc1234").replace(D1.value(), D2.value()));

    String crlf = "images:\r\n  - name: registry.example.com/acme/odoo\r\n    newTag: old\r\n";
    assertThat(edit(Layout.KUSTOMIZE, "k.yaml", crlf, ODOO, NEW)).isEqualTo(
        "images:\r\n  - name: registry.example.com/acme/odoo\r\n    newTag: 17.0-abc1234\r\n    digest: " + D2 + "\r\n");
  }

  @Test
  void kustomizeWithoutTagDropsTheStaleTagLineAndRenamesWhenTheRepositoryDiffers() {
    ApplicationSpec app = new ApplicationSpec("odoo", "registry.example.com/acme/odoo", null, "odoo", null);
    String before = "images:\n  - name: odoo\n    newTag: old\n    digest: " + D1 + "\n";
    String after = edit(Layout.KUSTOMIZE, "k.yaml", before, app,
        new ImageRef("registry.example.com/acme/odoo", null, D2));
    assertThat(after).isEqualTo("images:\n  - name: odoo\n    digest: " + D2
        + "\n    newName: registry.example.com/acme/odoo\n");
  }

  @Test
  void helmValuesAtConfiguredPathsKeepEverythingElse() {
    String before = """
        replicaCount: 2
        odoo:
          image:
            repository: registry.example.com/acme/odoo  # pushed by CI
            tag: "17.0-old"
            digest: ""
            pullPolicy: IfNotPresent
        postgresql:
          enabled: false
        """;
    ApplicationSpec app = new ApplicationSpec("odoo", "registry.example.com/acme/odoo", null, null,
        new HelmPaths(null, "odoo.image.repository", "odoo.image.tag", "odoo.image.digest"));
    String after = edit(Layout.HELM, "values.yaml", before, app, NEW);
    assertThat(after).isEqualTo(before.replace("\"17.0-old\"", "\"17.0-abc1234\"")
        .replace("digest: \"\"", "digest: \"" + D2 + "\""));
  }

  @Test
  void helmChartWithoutDigestFieldCarriesTheDigestInTheTag() {
    String before = "image:\n  repository: registry.example.com/acme/odoo\n  tag: 17.0-old\n";
    ApplicationSpec app = new ApplicationSpec("odoo", "registry.example.com/acme/odoo", null, null,
        new HelmPaths(null, null, null, ""));
    String after = edit(Layout.HELM, "values.yaml", before, app, NEW);
    assertThat(after).isEqualTo("image:\n  repository: registry.example.com/acme/odoo\n  tag: 17.0-abc1234@"
        + D2 + "\n");
    assertThat(ManifestEditor.forLayout(Layout.HELM).current(set("values.yaml", after), app).digest()).isEqualTo(D2);
  }

  @Test
  void helmTagFieldCarryingTheDigestIsReadWithTheOneGrammar() {
    ApplicationSpec app = new ApplicationSpec("odoo", "registry.example.com/acme/odoo", null, null,
        new HelmPaths(null, null, null, ""));
    DeployedImage onlyDigest = ManifestEditor.forLayout(Layout.HELM).current(set("values.yaml",
        "image:\n  repository: registry.example.com/acme/odoo\n  tag: \"@" + D2 + "\"\n"), app);
    assertThat(onlyDigest.tag()).isNull();
    assertThat(onlyDigest.digest()).isEqualTo(D2);
    assertThatThrownBy(() -> ManifestEditor.forLayout(Layout.HELM).current(set("values.yaml",
        "image:\n  repository: registry.example.com/Acme/odoo\n  tag: 17.0@" + D2 + "\n"), app))
        .isInstanceOf(ReleaseException.class)
        .hasMessageContaining("values.yaml:2: the image 'registry.example.com/Acme/odoo:17.0@" + D2
            + "' is not an image reference");
  }

  @Test
  void helmImageAsOneStringWithoutTagOrDigestFieldsSaysWhyAtTheImageLine() {
    String before = "# production values\nreplicaCount: 2\nimage: registry.example.com/acme/odoo:17.0-old\n";
    ApplicationSpec app = new ApplicationSpec("odoo", "registry.example.com/acme/odoo", null, null,
        new HelmPaths(null, "image", "", ""));

    assertThatThrownBy(() -> edit(Layout.HELM, "values.yaml", before, app, NEW))
        .isInstanceOfSatisfying(ReleaseException.class,
            e -> assertThat(e.kind()).isEqualTo(ReleaseException.Kind.BAD_INPUT))
        .hasMessageStartingWith("values.yaml:3: ")
        .hasMessageContaining("'image' holds the whole reference 'registry.example.com/acme/odoo:17.0-old'")
        .hasMessageContaining("no field can hold the digest")
        .hasMessageNotContaining("has no tag");
  }

  @Test
  void helmWithoutTagAndDigestFieldsSaysNoFieldCanHoldTheDigestAtTheRepositoryLine() {
    String before = "image:\n  repository: registry.example.com/acme/odoo\n";
    ApplicationSpec app = new ApplicationSpec("odoo", "registry.example.com/acme/odoo", null, null,
        new HelmPaths(null, null, "", ""));

    assertThatThrownBy(() -> edit(Layout.HELM, "values.yaml", before, app, NEW))
        .hasMessageStartingWith("values.yaml:2: ")
        .hasMessageContaining("no field can hold the digest")
        .hasMessageContaining("helm.tag and helm.digest are both empty");
  }

  @Test
  void helmChartWithASeparateRegistryFieldGetsRegistryAndRepositoryApart() {
    String before = """
        ## Bitnami Odoo chart values (excerpt)
        image:
          registry: docker.io
          repository: bitnami/odoo
          tag: 17.0.20240105-debian-11-r0
          digest: ""
          ## Specify a imagePullPolicy
          pullPolicy: IfNotPresent
        odooEmail: user@example.com
        """;
    ApplicationSpec app = new ApplicationSpec("odoo", "registry.example.com/acme/odoo", null, null,
        new HelmPaths("image.registry", null, null, null));

    String after = edit(Layout.HELM, "values.yaml", before, app, NEW);

    assertThat(after).isEqualTo(before.replace("registry: docker.io", "registry: registry.example.com")
        .replace("repository: bitnami/odoo", "repository: acme/odoo")
        .replace("17.0.20240105-debian-11-r0", "17.0-abc1234")
        .replace("digest: \"\"", "digest: \"" + D2 + "\""));
    DeployedImage now = ManifestEditor.forLayout(Layout.HELM).current(set("values.yaml", after), app);
    assertThat(now.repository()).isEqualTo("registry.example.com/acme/odoo");
    assertThat(now.digest()).isEqualTo(D2);
    assertThat(ManifestEditor.forLayout(Layout.HELM).current(set("values.yaml", before), app).repository())
        .isEqualTo("docker.io/bitnami/odoo");
  }

  @Test
  void helmRegistryFieldWithAPortAndAReferenceWithoutRegistryHost() {
    String before = "image:\n  registry: ''\n  repository: acme/odoo\n  tag: old\n  digest: ''\n";
    ApplicationSpec app = new ApplicationSpec("odoo", "localhost:5000/acme/odoo", null, null,
        new HelmPaths("image.registry", null, null, null));

    String withPort = edit(Layout.HELM, "values.yaml", before, app,
        new ImageRef("localhost:5000/acme/odoo", "new", D2));
    assertThat(withPort).isEqualTo("image:\n  registry: 'localhost:5000'\n  repository: acme/odoo\n  tag: new\n"
        + "  digest: '" + D2 + "'\n");

    String noHost = edit(Layout.HELM, "values.yaml", withPort, app, new ImageRef("acme/odoo", "new", D2));
    assertThat(noHost).isEqualTo("image:\n  registry: ''\n  repository: acme/odoo\n  tag: new\n"
        + "  digest: '" + D2 + "'\n");
  }

  @Test
  void plainManifestsAcrossDocumentsAndKindsChangeOnlyTheNamedContainer() {
    String before = """
        ---
        # web tier
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: odoo-web}
        spec:
          template:
            spec:
              initContainers:
                - name: wait-db
                  image: busybox:1.36
              containers:
                - name: odoo
                  image: registry.example.com/acme/odoo:17.0-old@%s
                  args: ["--workers=4"]
        ---
        apiVersion: batch/v1
        kind: CronJob
        metadata:
          name: odoo-backup
        spec:
          jobTemplate:
            spec:
              template:
                spec:
                  containers:
                    - name: backup
                      image: "registry.example.com/acme/odoo:17.0-old"
        ...
        """.formatted(D1);
    String after = edit(Layout.MANIFEST, "envs/prod/odoo.yaml", before, ODOO, NEW);
    assertThat(after).isEqualTo(before.replace("registry.example.com/acme/odoo:17.0-old@" + D1, NEW.pinned()));

    ApplicationSpec backup = new ApplicationSpec("backup", "registry.example.com/acme/odoo", null, null, null);
    String cron = edit(Layout.MANIFEST, "envs/prod/odoo.yaml", before, backup, NEW);
    assertThat(cron).isEqualTo(before.replace("\"registry.example.com/acme/odoo:17.0-old\"",
        "\"" + NEW.pinned() + "\""));
  }

  @Test
  void missingOrAmbiguousTargetsAreBadInput() {
    String none = "images:\n  - name: nginx\n";
    assertThatThrownBy(() -> edit(Layout.KUSTOMIZE, "k.yaml", none, ODOO, NEW))
        .isInstanceOf(ReleaseException.class)
        .hasMessageContaining("kustomize images entry with name 'registry.example.com/acme/odoo' not found in k.yaml");
    String twice = "images:\n  - name: registry.example.com/acme/odoo\n  - name: registry.example.com/acme/odoo\n";
    assertThatThrownBy(() -> edit(Layout.KUSTOMIZE, "k.yaml", twice, ODOO, NEW))
        .hasMessageContaining("found 2 times (k.yaml:2, k.yaml:3)");
    Map<String, byte[]> files = new LinkedHashMap<>();
    String deployment = "kind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n"
        + "        - name: odoo\n          image: x\n";
    files.put("a.yaml", deployment.getBytes(StandardCharsets.UTF_8));
    files.put("b.yaml", deployment.getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> ManifestEditor.forLayout(Layout.MANIFEST).apply(new ManifestSet(files), ODOO, NEW))
        .hasMessageContaining("found 2 times (a.yaml:7, b.yaml:7)");
  }

  @Test
  void yamlBombsAndBrokenFilesAreRefusedWithTheirPlace() {
    StringBuilder bomb = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x]\n");
    for (char c = 'b'; c <= 'z'; c++) {
      char p = (char) (c - 1);
      bomb.append(c).append(": &").append(c).append(" [*").append(p).append(", *").append(p).append(", *")
          .append(p).append(", *").append(p).append("]\n");
    }
    assertThatThrownBy(() -> edit(Layout.KUSTOMIZE, "bomb.yaml", bomb.toString(), ODOO, NEW))
        .isInstanceOf(ReleaseException.class).hasMessageContaining("bomb.yaml: refused");
    assertThatThrownBy(() -> edit(Layout.KUSTOMIZE, "broken.yaml", "images:\n  - name: [\n", ODOO, NEW))
        .hasMessageContaining("broken.yaml:3: invalid YAML");
  }

  @Test
  void alreadyRunningTheDigestChangesNothing() {
    String before = "images:\n  - name: registry.example.com/acme/odoo\n    newTag: 17.0-abc1234\n    digest: " + D2
        + "\n";
    assertThat(ManifestEditor.forLayout(Layout.KUSTOMIZE).apply(set("k.yaml", before), ODOO, NEW)).isEmpty();
  }

  private static String edit(Layout layout, String file, String text, ApplicationSpec app, ImageRef image) {
    Map<String, byte[]> changed = ManifestEditor.forLayout(layout).apply(set(file, text), app, image);
    assertThat(changed).containsOnlyKeys(file);
    return new String(changed.get(file), StandardCharsets.UTF_8);
  }

  private static ManifestSet set(String file, String text) {
    return new ManifestSet(Map.of(file, text.getBytes(StandardCharsets.UTF_8)));
  }
}
