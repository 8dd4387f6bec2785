package io.odoogitops.dryrun.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.odoogitops.ReleaseException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonReportTest {

  @TempDir
  Path dir;

  @Test
  void refusesASchemaVersionItDoesNotKnow() throws Exception {
    Path future = Files.writeString(dir.resolve("dry-run.json"), "{\"schemaVersion\": 2, \"verdict\": \"PASS\"}");
    assertThatThrownBy(() -> JsonReport.read(future))
        .isInstanceOf(ReleaseException.class)
        .hasMessageContaining("schemaVersion 2")
        .hasMessageContaining("reads version 1");
  }

  @Test
  void theDigestIsTheSha256OfTheFileBytes() {
    assertThat(JsonReport.sha256("abc".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }
}
