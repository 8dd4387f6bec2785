package io.odoogitops.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.tools.jib.api.ImageReference;
import io.odoogitops.ImageRef;
import io.odoogitops.ReleaseException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The builder reads references with the product's one grammar, normalized the way Docker does. */
class ImageNameTest {

  static final String D = "sha256:" + "0123456789abcdef".repeat(4);

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      odoo:17                            | registry-1.docker.io/library/odoo
      library/odoo                       | registry-1.docker.io/library/odoo
      docker.io/odoo@D                   | registry-1.docker.io/library/odoo
      index.docker.io/library/odoo:17    | registry-1.docker.io/library/odoo
      registry-1.docker.io/odoo          | registry-1.docker.io/library/odoo
      acme/odoo:17.0@D                   | registry-1.docker.io/acme/odoo
      localhost/odoo                     | localhost/odoo
      localhost:5000/acme/odoo           | localhost:5000/acme/odoo
      127.0.0.1:5000/acme/odoo:1         | 127.0.0.1:5000/acme/odoo
      registry.example.com:443/team/odoo | registry.example.com:443/team/odoo
      """)
  void normalizesLikeDocker(String reference, String repository) {
    String text = reference.replace("@D", "@" + D);
    ImageReference parsed = ImageName.parse(text, "image");
    assertThat(ImageName.repositoryOf(parsed)).isEqualTo(repository);
    // the pinned-reference view of the same text agrees on what it names
    if (text.contains("@")) {
      assertThat(ImageRef.parse(text).normalizedRepository()).isEqualTo(repository);
    }
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(delimiter = '|', textBlock = """
      Odoo:17
      registry.example.com/Team/odoo
      odoo:bad tag
      odoo:TOO_LONG
      odoo@
      ' odoo'
      ''
      """)
  void refusesWhatTheGrammarRefuses(String reference) {
    String text = reference.replace("TOO_LONG", "t".repeat(129));
    assertThat(ImageRef.split(text)).isEmpty();
    assertThatThrownBy(() -> ImageName.parse(text, "--base"))
        .isInstanceOfSatisfying(ReleaseException.class,
            e -> assertThat(e.kind()).isEqualTo(ReleaseException.Kind.BAD_INPUT))
        .hasMessageStartingWith("--base '" + text + "' is not a valid image reference");
  }
}
