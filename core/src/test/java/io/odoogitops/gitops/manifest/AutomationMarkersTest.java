package io.odoogitops.gitops.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Flux markers and argocd-image-updater annotations found, pinned and restored, byte for byte. */
class AutomationMarkersTest {

  static final String KUSTOMIZATION = """
      images:
        - name: registry.example.com/acme/odoo
          newName: registry.example.com/acme/odoo # {"$imagepolicy": "flux-system:odoo:name"}
          newTag: "17.0-2"   # {"$imagepolicy": "flux-system:odoo:tag"}
          digest: sha256:%s #{"$imagepolicy":"flux-system:odoo:digest"}
      # a note about {"$imagepolicy": "flux-system:odoo"} that is not a marker: value: "x"
      """.formatted("b".repeat(64));

  static final String PINNED = """
      images:
        - name: registry.example.com/acme/odoo
          newName: registry.example.com/acme/odoo # odoo-gitops-hold rb-1 {"$imagepolicy": "flux-system:odoo:name"}
          newTag: "17.0-2"   # odoo-gitops-hold rb-1 {"$imagepolicy": "flux-system:odoo:tag"}
          digest: sha256:%s #odoo-gitops-hold rb-1 {"$imagepolicy":"flux-system:odoo:digest"}
      # a note about {"$imagepolicy": "flux-system:odoo"} that is not a marker: value: "x"
      """.formatted("b".repeat(64));

  @Test
  void fluxMarkersArePinnedWithOnlyTheirCommentBytesChangedAndRestoredExactly() {
    AutomationMarkers.Result result = AutomationMarkers.flux(files("k.yaml", KUSTOMIZATION), "rb-1");

    assertThat(text(result.files(), "k.yaml")).isEqualTo(PINNED);
    assertThat(result.found()).extracting(AutomationMarkers.Found::target).containsExactly(
        "flux-system:odoo:name", "flux-system:odoo:tag", "flux-system:odoo:digest");
    assertThat(result.found()).extracting(AutomationMarkers.Found::location)
        .containsExactly("k.yaml:3", "k.yaml:4", "k.yaml:5");
    assertThat(result.found()).allMatch(f -> f.pinned() && f.problem() == null);

    assertThat(text(AutomationMarkers.restore(files("k.yaml", PINNED), "rb-1"), "k.yaml")).isEqualTo(KUSTOMIZATION);
    assertThat(AutomationMarkers.restore(files("k.yaml", PINNED), "rb-2")).isEmpty();
  }

  @Test
  void crlfHelmValuesKeepTheirLineEndings() {
    String values = "image:\r\n  repository: ghcr.io/acme/odoo # {\"$imagepolicy\": \"flux-system:odoo:name\"}\r\n"
        + "  tag: 17.0-2 # {\"$imagepolicy\": \"flux-system:odoo:tag\"}\r\n";
    AutomationMarkers.Result result = AutomationMarkers.flux(files("values.yaml", values), "rb-1");

    String pinned = text(result.files(), "values.yaml");
    assertThat(pinned).isEqualTo(values.replace("# {", "# odoo-gitops-hold rb-1 {"));
    assertThat(text(AutomationMarkers.restore(files("values.yaml", pinned), "rb-1"), "values.yaml"))
        .isEqualTo(values);
  }

  @Test
  void withoutAHoldIdMarkersAreOnlyFound() {
    AutomationMarkers.Result result = AutomationMarkers.flux(files("k.yaml", KUSTOMIZATION), null);

    assertThat(result.files()).isEmpty();
    assertThat(result.found()).hasSize(3).noneMatch(AutomationMarkers.Found::pinned);
  }

  @Test
  void aHashInsideAStringIsNotTakenForAComment() {
    String tricky = "note: \"see #{\\\"$imagepolicy\\\": \\\"a:b\\\"}\"\nimage: x # {\"$imagepolicy\": \"ns:p\"}\n";
    AutomationMarkers.Result result = AutomationMarkers.flux(files("t.yaml", tricky), "rb-1");

    assertThat(result.found()).extracting(AutomationMarkers.Found::target).containsExactly("ns:p");
    assertThat(text(result.files(), "t.yaml")).isEqualTo(tricky.replace("x # {", "x # odoo-gitops-hold rb-1 {"));
  }

  @Test
  void aMarkerInsideABlockScalarIsTextNotAComment() {
    String literal = "note: |\n  image: x # {\"$imagepolicy\": \"ns:text\"}\nimage: y # {\"$imagepolicy\": \"ns:p\"}\n";
    AutomationMarkers.Result result = AutomationMarkers.flux(files("l.yaml", literal), "rb-1");

    assertThat(result.found()).extracting(AutomationMarkers.Found::target).containsExactly("ns:p");
    assertThat(text(result.files(), "l.yaml")).isEqualTo(literal.replace("y # {", "y # odoo-gitops-hold rb-1 {"));
  }

  static final String APPLICATION = """
      apiVersion: argoproj.io/v1alpha1
      kind: Application
      metadata:
        name: shop-production
        namespace: argocd
        annotations:
          argocd-image-updater.argoproj.io/image-list: odoo=registry.example.com/acme/odoo:~17.0, redis=redis
          argocd-image-updater.argoproj.io/odoo.update-strategy: digest
      spec:
        project: default
      """;

  @Test
  void anImageUpdaterAliasIsPinnedWithOneAddedLineAndRestoredExactly() {
    AutomationMarkers.Result result = AutomationMarkers.imageUpdater("apps/shop.yaml",
        APPLICATION.getBytes(StandardCharsets.UTF_8), "shop-production", "registry.example.com/acme/odoo", "rb-1");

    String pinned = text(result.files(), "apps/shop.yaml");
    assertThat(pinned).isEqualTo(APPLICATION.replace("update-strategy: digest\n", "update-strategy: digest\n"
        + "    argocd-image-updater.argoproj.io/odoo.ignore-tags: \"*\" # odoo-gitops-hold rb-1\n"));
    assertThat(result.found()).singleElement().satisfies(f -> {
      assertThat(f.target()).isEqualTo("odoo");
      assertThat(f.pinned()).isTrue();
      assertThat(f.location()).isEqualTo("apps/shop.yaml:7");
    });
    assertThat(text(AutomationMarkers.restore(files("apps/shop.yaml", pinned), "rb-1"), "apps/shop.yaml"))
        .isEqualTo(APPLICATION);
  }

  @Test
  void anImageUpdaterAliasWithIgnoreTagsOrWithoutAliasIsReportedNotPinned() {
    String set = APPLICATION.replace("update-strategy: digest\n",
        "update-strategy: digest\n    argocd-image-updater.argoproj.io/odoo.ignore-tags: latest\n");
    AutomationMarkers.Result result = AutomationMarkers.imageUpdater("a.yaml", set.getBytes(StandardCharsets.UTF_8),
        null, "registry.example.com/acme/odoo", "rb-1");
    assertThat(result.files()).isEmpty();
    assertThat(result.found()).singleElement().satisfies(f -> assertThat(f.problem()).contains("already set"));

    String noAlias = APPLICATION.replace("odoo=registry", "registry");
    result = AutomationMarkers.imageUpdater("a.yaml", noAlias.getBytes(StandardCharsets.UTF_8), null,
        "registry.example.com/acme/odoo", "rb-1");
    assertThat(result.files()).isEmpty();
    assertThat(result.found()).singleElement().satisfies(f -> assertThat(f.problem()).contains("no alias"));

    result = AutomationMarkers.imageUpdater("a.yaml", APPLICATION.getBytes(StandardCharsets.UTF_8), "other-app",
        "registry.example.com/acme/odoo", "rb-1");
    assertThat(result.found()).isEmpty();
  }

  private static Map<String, byte[]> files(String path, String text) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put(path, text.getBytes(StandardCharsets.UTF_8));
    return files;
  }

  private static String text(Map<String, byte[]> files, String path) {
    assertThat(files).containsKey(path);
    return new String(files.get(path), StandardCharsets.UTF_8);
  }
}
