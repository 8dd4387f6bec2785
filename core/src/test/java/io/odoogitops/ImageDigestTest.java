package io.odoogitops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
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

  record Carrier(ImageDigest digest, ImageDigest previous) {}

  @Test
  void isThePlainStringInJsonBothWays() throws Exception {
    ObjectMapper json = new ObjectMapper();
    String written = json.writeValueAsString(new Carrier(new ImageDigest(FULL), null));
    assertThat(written).isEqualTo("{\"digest\":\"" + FULL + "\",\"previous\":null}");
    assertThat(json.readValue(written, Carrier.class)).isEqualTo(new Carrier(new ImageDigest(FULL), null));
    assertThatThrownBy(() -> json.readValue("{\"digest\":\"sha256:abc\"}", Carrier.class))
        .isInstanceOf(ValueInstantiationException.class)
        .hasRootCauseInstanceOf(ReleaseException.class)
        .hasMessageContaining("'sha256:abc' is not an image digest");
  }

  @Test
  void survivesJavaSerializationForJenkinsRemoting() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(new ImageDigest(FULL));
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      assertThat(in.readObject()).isEqualTo(new ImageDigest(FULL));
    }
  }

  @Test
  void textAndShortFormOfNoDigest() {
    assertThat(ImageDigest.text(null)).isNull();
    assertThat(ImageDigest.shortForm((ImageDigest) null)).isEqualTo("(none)");
    assertThat(ImageDigest.orNull("latest")).isNull();
    assertThat(ImageDigest.orNull(FULL)).isEqualTo(new ImageDigest(FULL));
  }
}
