package io.odoogitops.dryrun.report;

import io.odoogitops.ReleaseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The three reports of a run, written side by side, plus {@code dry-run.json.sha256} in {@code sha256sum} format.
 *
 * @param sha256 hex SHA-256 of {@code dry-run.json}, the report's identity
 */
public record ReportFiles(Path json, Path markdown, Path junit, String sha256) {

  public static final String JSON = "dry-run.json";
  public static final String MARKDOWN = "dry-run.md";
  public static final String JUNIT = "dry-run-junit.xml";

  public static ReportFiles write(DryRunReport report, Path dir) {
    byte[] json = JsonReport.bytes(report);
    String sha256 = JsonReport.sha256(json);
    try {
      Files.createDirectories(dir);
      Path jsonFile = dir.resolve(JSON);
      JsonReport.write(jsonFile, json);
      Files.writeString(dir.resolve(JSON + ".sha256"), sha256 + "  " + JSON + "\n", StandardCharsets.UTF_8);
      Path md = Files.writeString(dir.resolve(MARKDOWN), MarkdownReport.render(report, sha256),
          StandardCharsets.UTF_8);
      Path junit = Files.writeString(dir.resolve(JUNIT), JUnitReport.render(report), StandardCharsets.UTF_8);
      return new ReportFiles(jsonFile, md, junit, sha256);
    } catch (IOException e) {
      throw ReleaseException.infrastructure("cannot write the dry-run reports to " + dir + ": " + e.getMessage(), e);
    }
  }
}
