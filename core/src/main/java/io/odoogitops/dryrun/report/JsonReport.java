package io.odoogitops.dryrun.report;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.odoogitops.ReleaseException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The machine-readable report. Serialization is deterministic (record field order, map keys sorted, ISO instants),
 * so the SHA-256 of the file identifies the report: a promotion commit's {@code Dry-Run} trailer carries it, and a
 * gate recomputes it from the file before trusting the verdict inside.
 */
public final class JsonReport {

  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .addModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  private JsonReport() {
  }

  public static byte[] bytes(DryRunReport report) {
    try {
      return MAPPER.writeValueAsBytes(report);
    } catch (IOException e) {
      throw ReleaseException.infrastructure("cannot serialize the dry-run report: " + e.getMessage(), e);
    }
  }

  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }

  /**
   * Reads a report written by this or an earlier release of the same schema version. Unknown fields (added later
   * within the version) are ignored; an unknown schema version is refused rather than half understood.
   */
  public static DryRunReport read(Path file) {
    try {
      JsonNode tree = MAPPER.readTree(file.toFile());
      int version = tree.path("schemaVersion").asInt(-1);
      if (version != DryRunReport.SCHEMA_VERSION) {
        throw ReleaseException.badInput("dry-run report " + file + " has schemaVersion " + version + "; this release"
            + " reads version " + DryRunReport.SCHEMA_VERSION + "; rerun the dry-run with this release");
      }
      return MAPPER.treeToValue(tree, DryRunReport.class);
    } catch (IOException e) {
      throw ReleaseException.badInput("cannot read dry-run report " + file + ": " + e.getMessage());
    }
  }

  static void write(Path file, byte[] bytes) throws IOException {
    Files.write(file, bytes);
  }
}
