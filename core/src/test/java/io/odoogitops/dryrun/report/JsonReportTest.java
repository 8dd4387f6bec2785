package io.odoogitops.dryrun.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.odoogitops.ImageDigest;
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

  @Test
  void theGatesEvidenceCarriesTheRollbackSafetyAndWhenTheDryRunFinished() throws Exception {
    ImageDigest digest = new ImageDigest("sha256:" + "4".repeat(64));
    java.time.Instant started = java.time.Instant.parse("2026-11-30T01:00:00Z");
    java.time.Instant finished = java.time.Instant.parse("2026-11-30T01:42:13Z");
    for (var safety : io.odoogitops.dryrun.verdict.RollbackSafety.values()) {
      Path file = dir.resolve(safety + ".json");
      Files.write(file, JsonReport.bytes(new DryRunReport(DryRunReport.SCHEMA_VERSION, "run", "odoo", digest,
          started, finished, "db:5432/odoo", null, null, null, java.util.List.of(), 0, java.util.List.of(),
          new io.odoogitops.dryrun.verdict.Judgement(digest, io.odoogitops.policy.Verdict.WARN, safety,
              java.util.List.of(), java.util.List.of()), null)));

      var evidence = JsonReport.evidence(file);

      assertThat(evidence.restoreRequired())
          .isEqualTo(safety == io.odoogitops.dryrun.verdict.RollbackSafety.RESTORE_REQUIRED);
      assertThat(evidence.finishedAt()).isEqualTo(finished);
    }
  }
}
