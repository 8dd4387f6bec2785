package io.odoogitops.gitops.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.odoogitops.ImageRef;
import io.odoogitops.ReleaseException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A manifest's {@code image:} is read with the same grammar as a pinned reference ({@link ImageRef#split}): what it
 * accepts, how it splits, and where it refuses. {@code D} stands for a full sha256 digest, {@code -} for absent.
 */
class DeployedImageGrammarTest {

  static final String D = "sha256:" + "0123456789abcdef".repeat(4);

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      odoo                                   | odoo                               | -      | -
      odoo:17.0                              | odoo                               | 17.0   | -
      odoo@D                                 | odoo                               | -      | D
      odoo:17.0@D                            | odoo                               | 17.0   | D
      library/odoo:17.0                      | library/odoo                       | 17.0   | -
      docker.io/library/odoo@D               | docker.io/library/odoo             | -      | D
      localhost/odoo:1                       | localhost/odoo                     | 1      | -
      localhost:5000/acme/odoo:17.0-abc@D    | localhost:5000/acme/odoo           | 17.0-abc | D
      127.0.0.1:5000/acme/odoo@D             | 127.0.0.1:5000/acme/odoo           | -      | D
      registry.example.com:443/acme/odoo:1@D | registry.example.com:443/acme/odoo | 1      | D
      """)
  void splitsAsWritten(String reference, String repository, String tag, String digest) {
    DeployedImage image = DeployedImage.parse(reference.replace("@D", "@" + D), "envs/prod/deploy.yaml:12");
    assertThat(image.repository()).isEqualTo(repository);
    assertThat(image.tag()).isEqualTo(tag);
    assertThat(image.digest() == null ? null : "D").isEqualTo(digest);
    assertThat(image.location()).isEqualTo("envs/prod/deploy.yaml:12");
    // the same split as a pinned reference where both apply
    if (digest != null) {
      ImageRef ref = ImageRef.parse(reference.replace("@D", "@" + D));
      assertThat(ref.repository()).isEqualTo(image.repository());
      assertThat(ref.tag()).isEqualTo(image.tag());
      assertThat(ref.digest()).isEqualTo(image.digest());
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      Odoo/UPPER:1                          | is not an image reference
      registry.example.com/Acme/odoo        | is not an image reference
      odoo:bad tag                          | is not an image reference
      odoo:TOO_LONG_TAG                     | is not an image reference
      odoo@                                 | is not an image reference
      /odoo                                 | is not an image reference
      odoo@sha512:SHA512                    | is not an image reference
      odoo@sha256:UPPER                     | is not an image reference
      odoo@sha256:0123456789abcdef0123456789abcdef | is not an image reference
      """)
  void refusesWithTheLocation(String template, String why) {
    // jib's grammar already takes only 64 hex digits after sha256:, in lower case, and no other algorithm
    String reference = template.replace("TOO_LONG_TAG", "t".repeat(129))
        .replace("SHA512", "ab".repeat(64)).replace("UPPER", "AB".repeat(32));
    assertThatThrownBy(() -> DeployedImage.parse(reference, "envs/prod/deploy.yaml:12"))
        .isInstanceOfSatisfying(ReleaseException.class,
            e -> assertThat(e.kind()).isEqualTo(ReleaseException.Kind.BAD_INPUT))
        .hasMessageStartingWith("envs/prod/deploy.yaml:12: ")
        .hasMessageContaining(why);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      odoo                       | registry-1.docker.io/library/odoo
      docker.io/odoo             | registry-1.docker.io/library/odoo
      docker.io/library/odoo     | registry-1.docker.io/library/odoo
      index.docker.io/library/odoo | registry-1.docker.io/library/odoo
      acme/odoo                  | registry-1.docker.io/acme/odoo
      localhost:5000/odoo        | localhost:5000/odoo
      """)
  void comparesWithTheNormalizedRepository(String written, String normalized) {
    DeployedImage image = DeployedImage.parse(written + "@" + D, "f:1");
    assertThat(image.repository()).as("kept as written").isEqualTo(written);
    assertThat(ImageRef.parse(written + "@" + D).normalizedRepository()).isEqualTo(normalized);
    assertThat(ImageRef.parse(normalized + "@" + D).sameRepository(image.repository())).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      sha256:short     | is not an image digest
      sha512:abc       | is not an image digest
      """)
  void separateDigestFieldsAreHeldToTheSameRule(String digest, String why) {
    assertThatThrownBy(() -> DeployedImage.of("registry.example.com/acme/odoo", "1", digest, "values.yaml:4"))
        .isInstanceOf(ReleaseException.class)
        .hasMessageStartingWith("values.yaml:4: the digest of image registry.example.com/acme/odoo '" + digest + "'")
        .hasMessageContaining(why);
    assertThat(DeployedImage.of("registry.example.com/acme/odoo", "1", null, "values.yaml:4").digest()).isNull();
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      registry.example.com/acme/odoo | 17.0 | D | registry.example.com/acme/odoo | 17.0 | D
      localhost:5000/odoo            | -    | D | localhost:5000/odoo            | -    | D
      odoo                           | 1    | - | odoo                           | 1    | -
      odoo                           | ''   | - | odoo                           | -    | -
      """)
  void separateFieldsAreReadAsOneReference(String repository, String tag, String digest, String readRepository,
      String readTag, String readDigest) {
    DeployedImage image = DeployedImage.of(repository, tag, digest == null ? null : D, "values.yaml:4");
    assertThat(image.repository()).isEqualTo(readRepository);
    assertThat(image.tag()).isEqualTo(readTag);
    assertThat(image.digest() == null ? null : "D").isEqualTo(readDigest);
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(delimiter = '|', textBlock = """
      registry.example.com/Acme/odoo | 17.0
      registry.example.com/acme/odoo | bad tag
      /odoo                          | 1
      """)
  void separateFieldsTheGrammarRefusesAreRefusedWithTheLocation(String repository, String tag) {
    assertThatThrownBy(() -> DeployedImage.of(repository, tag, D, "values.yaml:4"))
        .isInstanceOf(ReleaseException.class)
        .hasMessageStartingWith("values.yaml:4: the image '" + repository + ":" + tag + "@" + D
            + "' is not an image reference");
  }
}
