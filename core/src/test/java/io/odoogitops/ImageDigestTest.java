package io.odoogitops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ImageDigestTest {

  static final String FULL = "sha256:" + "0123456789abcdef".repeat(4);

  @Test
  void aValueIsAFullDigestByConstruction() {
    ImageDigest digest = ImageDigest.parse(FULL, "--digest");
    assertThat(digest.toString()).isEqualTo(FULL);
    assertThat(digest.shortForm()).isEqualTo("sha256:0123456789ab").isEqualTo(ImageDigest.shortForm(digest));
    assertThat(digest).isEqualTo(new ImageDigest(FULL));
    assertThat(ImageRef.parse("odoo@" + FULL).digest()).isEqualTo(digest);
  }

  @Test
  void refusesShortUppercaseAndOtherAlgorithms() {
    for (String bad : new String[] {"sha256:0123", FULL.toUpperCase(), "sha512:" + "ab".repeat(32), "", null}) {
      assertThatThrownBy(() -> ImageDigest.parse(bad, "--digest")).isInstanceOf(ReleaseException.class)
          .hasMessageContaining("--digest '" + bad + "' is not an image digest");
    }
  }
}
