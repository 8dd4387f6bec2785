package io.odoogitops.dryrun.neutralize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.odoogitops.ImageDigest;
import io.odoogitops.ReleaseException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Registry images are read with the one reference grammar (ImageRef) and matched to the dry-run's digest by value. */
class ModuleSourcesTest {

  static final String A = "sha256:" + "a".repeat(64);
  static final String B = "sha256:" + "b".repeat(64);

  /** The rows write {A} for a full digest, which an annotation cannot compute. */
  static String row(String text) {
    return text.replace("{A}", A);
  }

  static ModuleSources withImage(String reference) {
    return ModuleSources.of(List.of(), List.of()).withRegistryImage(reference, Optional.empty(), false);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "registry.example.com/acme/odoo@{A}",
      "localhost:5000/acme/odoo:17.0-3ca6218@{A}",
      "127.0.0.1:5000/odoo@{A}",
      "odoo@{A}",
  })
  void pinnedReferencesAreParsedOnceAndMatchedByDigestValue(String reference) {
    String pinned = row(reference);
    ModuleSources sources = withImage(pinned);
    ModuleSources.RegistryImage image = sources.registryImages().get(0);
    assertThat(image.reference().pinned()).isEqualTo(pinned);
    assertThat(image.reference().digest()).isEqualTo(new ImageDigest(A));
    assertThat(image).hasToString(pinned);
    sources.requireImage(new ImageDigest(A));
    assertThatThrownBy(() -> sources.requireImage(new ImageDigest(B)))
        .isInstanceOf(ReleaseException.class)
        .hasMessage("image " + pinned + " is not the image " + B + " this dry-run is for");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "registry.example.com/acme/odoo:17.0 | image 'registry.example.com/acme/odoo:17.0' is not pinned by digest;"
          + " give registry/repository@sha256:<digest>, the image the dry-run judges",
      "registry.example.com/acme/odoo      | is not pinned by digest",
      "registry.example.com/Acme/odoo@{A}  | malformed image reference 'registry.example.com/Acme/odoo@{A}': it is"
          + " not of the form",
      "registry.example.com/acme/odoo@sha256:abc | malformed image reference",
      "registry.example.com/acme/odoo@{A}x | malformed image reference",
  })
  void anythingElseIsRefusedWithTheGrammarsWords(String reference, String message) {
    assertThatThrownBy(() -> withImage(row(reference)))
        .isInstanceOf(ReleaseException.class)
        .satisfies(e -> assertThat(((ReleaseException) e).kind()).isEqualTo(ReleaseException.Kind.BAD_INPUT))
        .hasMessageContaining(row(message));
  }
}
