package io.odoogitops.restore.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.odoogitops.ImageDigest;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PointNamesTest {

  static final ImageDigest DIGEST = new ImageDigest("sha256:" + "ab".repeat(32));
  static final Instant AT = Instant.parse("2026-11-30T02:15:07Z");

  @Test
  void objectAndDirectoryNamesAreValidAndSortable() {
    String name = PointNames.objectName("production_eu.west", "shop", DIGEST, AT);
    assertThat(name).isEqualTo("production-eu-west-shop-abababababab-20261130t021507z").hasSizeLessThanOrEqualTo(63);
    assertThat(PointNames.objectName("e".repeat(63), "a".repeat(63), DIGEST, AT)).hasSizeLessThanOrEqualTo(63)
        .matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    assertThat(PointNames.dumpDirectory("production", "shop", DIGEST, AT))
        .isEqualTo("production-shop-abababababab-20261130T021507Z");
    assertThat(RestorePlanner.newClusterName("odoo-db", AT)).isEqualTo("odoo-db-restore-20261130021507");
    assertThat(RestorePlanner.newClusterName("x".repeat(60), AT)).hasSize(50);
    assertThat(RestorePlanner.shell("/srv/my points/it's")).isEqualTo("'/srv/my points/it'\\''s'");
  }
}
