package io.odoogitops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** ImageRef and jib agree on which strings are references; ImageRef only adds "pinned by a full sha256 digest". */
class ImageRefGrammarTest {

  static final String D = "sha256:" + "0123456789abcdef".repeat(4);

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      odoo@D                                  | true  | odoo                          | registry-1.docker.io/library/odoo
      odoo:17.0@D                             | true  | odoo                          | registry-1.docker.io/library/odoo
      docker.io/library/odoo@D                | true  | docker.io/library/odoo        | registry-1.docker.io/library/odoo
      localhost:5000/a/b:1@D                  | true  | localhost:5000/a/b            | localhost:5000/a/b
      127.0.0.1:5000/acme/odoo:17.0-abc@D     | true  | 127.0.0.1:5000/acme/odoo      | 127.0.0.1:5000/acme/odoo
      registry.example.com/acme/odoo-17@D     | true  | registry.example.com/acme/odoo-17 | registry.example.com/acme/odoo-17
      Odoo/UPPER@D                            | false | |
      registry.example.com/Acme/odoo@D        | false | |
      odoo:bad tag@D                          | false | |
      odoo:17.0                               | false | |
      odoo                                    | false | |
      odoo@sha256:123                         | false | |
      /odoo@D                                 | false | |
      odoo@@D                                 | false | |
      """)
  void agreesWithJib(String template, boolean pinned, String written, String normalized) {
    String text = template.replace("@D", "@" + D);
    boolean jibAccepts;
    try {
      ImageReference.parse(text);
      jibAccepts = true;
    } catch (InvalidImageReferenceException | RuntimeException e) {
      jibAccepts = false;
    }
    assertThat(ImageRef.isPinned(text)).isEqualTo(pinned);
    if (pinned) {
      assertThat(jibAccepts).as("jib accepts what ImageRef accepts").isTrue();
      ImageRef ref = ImageRef.parse(text);
      assertThat(ref.repository()).as("kept as written").isEqualTo(written);
      assertThat(ref.pinned()).as("written back byte for byte").isEqualTo(text);
      assertThat(ref.normalizedRepository()).isEqualTo(normalized);
      assertThat(ref.sameRepository(normalized)).isTrue();
    } else if (jibAccepts) {
      // Only the pinning rule may refuse what jib accepts: no digest, or not a full sha256 one.
      assertThatThrownBy(() -> ImageRef.parse(text)).hasMessageMatching("(?s).*(has no digest|64 lowercase hex).*");
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      odoo                   | docker.io/library/odoo            | true
      odoo                   | registry-1.docker.io/library/odoo | true
      acme/odoo              | docker.io/acme/odoo               | true
      registry.example.com/odoo | registry.example.com/odoo      | true
      registry.example.com/odoo | odoo                           | false
      odoo                   | Odoo                              | false
      """)
  void comparesRepositoriesNormalized(String written, String configured, boolean same) {
    assertThat(ImageRef.parse(written + "@" + D).sameRepository(configured)).isEqualTo(same);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      odoo                                | ''                       | odoo
      acme/odoo                           | ''                       | acme/odoo
      library/odoo                        | ''                       | library/odoo
      docker.io/odoo                      | docker.io                | odoo
      docker.io/library/odoo              | docker.io                | library/odoo
      index.docker.io/library/odoo        | index.docker.io          | library/odoo
      localhost/odoo                      | localhost                | odoo
      localhost:5000/acme/odoo            | localhost:5000           | acme/odoo
      127.0.0.1:5000/odoo                 | 127.0.0.1:5000           | odoo
      registry.example.com/acme/sub/odoo  | registry.example.com     | acme/sub/odoo
      registry.example.com:443/odoo/odoo  | registry.example.com:443 | odoo/odoo
      """)
  void splitsTheRegistryAsWritten(String repository, String registry, String path) {
    ImageRef.Written written = ImageRef.split(repository + ":1").orElseThrow();
    assertThat(written.registry()).isEqualTo(registry);
    assertThat(written.path()).isEqualTo(path);
    assertThat(registry.isEmpty() ? path : registry + "/" + path).as("nothing lost").isEqualTo(repository);
  }
}
