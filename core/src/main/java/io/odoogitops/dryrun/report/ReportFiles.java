package io.odoogitops.dryrun.report;

import io.odoogitops.ReleaseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The three reports of a run, written side by side, plus {@code dry-run.json.sha256} in {@code sha256sum} format and,
 * when a {@link ReportSigner} is given, {@code dry-run.json.sig}: the signature over the exact bytes of the JSON.
 *
 * @param sha256 hex SHA-256 of {@code dry-run.json}, the report's identity
 * @param signature {@code dry-run.json.sig}, or {@code null} when the report is not signed
 */
public record ReportFiles(Path json, Path markdown, Path junit, String sha256, Path signature) {

  public static final String JSON = "dry-run.json";
  public static final String MARKDOWN = "dry-run.md";
  public static final String JUNIT = "dry-run-junit.xml";
  /** The signature next to the JSON report: {@code dry-run.json.sig}. */
  public static final String SIGNATURE = JSON + JsonReport.SIGNATURE_SUFFIX;

  public ReportFiles(Path json, Path markdown, Path junit, String sha256) {
    this(json, markdown, junit, sha256, null);
  }

  public static ReportFiles write(DryRunReport report, Path dir) {
    return write(report, dir, null);
  }

  /** Writes the reports; with {@code signer}, also the signature of the JSON's bytes. */
  public static ReportFiles write(DryRunReport report, Path dir, ReportSigner signer) {
    byte[] json = JsonReport.bytes(report);
    String sha256 = JsonReport.sha256(json);
    // Signed before anything is written: a failed signature leaves no report that looks finished.
    String signature = signer == null ? null : signer.sign(json);
    try {
      Files.createDirectories(dir);
      Path jsonFile = dir.resolve(JSON);
      Path signatureFile = dir.resolve(SIGNATURE);
      // A signature left by an earlier run must never sit next to this report.
      Files.deleteIfExists(signatureFile);
      JsonReport.write(jsonFile, json);
      if (signature != null) {
        Files.writeString(signatureFile, signature, StandardCharsets.US_ASCII);
      }
      Files.writeString(dir.resolve(JSON + ".sha256"), sha256 + "  " + JSON + "\n", StandardCharsets.UTF_8);
      Path md = Files.writeString(dir.resolve(MARKDOWN), MarkdownReport.render(report, sha256),
          StandardCharsets.UTF_8);
      Path junit = Files.writeString(dir.resolve(JUNIT), JUnitReport.render(report), StandardCharsets.UTF_8);
      return new ReportFiles(jsonFile, md, junit, sha256, signature == null ? null : signatureFile);
    } catch (IOException e) {
      throw ReleaseException.infrastructure("cannot write the dry-run reports to " + dir + ": " + e.getMessage(), e);
    }
  }
}
