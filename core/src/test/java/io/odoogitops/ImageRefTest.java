package io.odoogitops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ImageRefTest {

  static final String DIGEST = "sha256:" + "ab".repeat(32);

  static ImageRef parse() {
    return ImageRef.parse("registry.example.com/acme/odoo:17.0@" + DIGEST);
  }

  @Test
  void parsesRepositoriesWithRegistryPortTagAndDigest() {
    ImageRef ref = ImageRef.parse("127.0.0.1:5000/acme/odoo:17.0-abc@" + DIGEST);
    assertThat(ref.repository()).isEqualTo("127.0.0.1:5000/acme/odoo");
    assertThat(ref.tag()).isEqualTo("17.0-abc");
    assertThat(ref.digest().value()).isEqualTo(DIGEST);
    assertThat(ref.pinned()).isEqualTo("127.0.0.1:5000/acme/odoo:17.0-abc@" + DIGEST);
    assertThat(ImageRef.parse("registry.example.com/odoo@" + DIGEST).tag()).isNull();
    assertThat(ref.shortDigest()).isEqualTo("sha256:abababababab");
  }

  @Test
  void refusesReferencesThatAreNotPinnedOrMalformed() {
    assertThatThrownBy(() -> ImageRef.parse("odoo:17.0")).isInstanceOf(ReleaseException.class)
        .hasMessageContaining("has no digest");
    assertThatThrownBy(() -> ImageRef.parse("odoo@sha256:123")).hasMessageContaining("not of the form");
    assertThatThrownBy(() -> ImageRef.parse("odoo@md5:" + "a".repeat(32))).hasMessageContaining("64 lowercase hex");
    assertThatThrownBy(() -> ImageRef.parse("Odoo/UPPER@" + DIGEST)).hasMessageContaining("lowercase repository name");
    assertThatThrownBy(() -> ImageRef.parse("odoo:bad tag@" + DIGEST)).hasMessageContaining("malformed");
    assertThatThrownBy(() -> ImageRef.parse(" ")).hasMessageContaining("no image given");
  }
}
