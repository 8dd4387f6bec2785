package io.odoogitops.dryrun.report;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.odoogitops.InputFiles;
import io.odoogitops.ReleaseException;
import io.odoogitops.dryrun.verdict.RollbackSafety;
import io.odoogitops.policy.DryRunEvidence;
import io.odoogitops.signing.SignatureCheck;
import io.odoogitops.signing.SshSignature;
import io.odoogitops.signing.SshSignatures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
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

  /** A report's signature sits next to it: {@code dry-run.json.sig}. */
  public static final String SIGNATURE_SUFFIX = ".sig";
  /** An armored SSH signature is a few hundred bytes; an RSA-8192 one stays far below this. */
  private static final int MAX_SIGNATURE_BYTES = 16 * 1024;

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
    return parse(InputFiles.read(file, "dry-run report", InputFiles.LARGE_LIMIT), file);
  }

  private static DryRunReport parse(byte[] bytes, Path file) {
    try {
      JsonNode tree = MAPPER.readTree(bytes);
      int version = tree.path("schemaVersion").asInt(-1);
      if (version != DryRunReport.SCHEMA_VERSION) {
        throw ReleaseException.badInput("dry-run report " + file + " has schemaVersion " + version + "; this release"
            + " reads version " + DryRunReport.SCHEMA_VERSION + "; rerun the dry-run with this release");
      }
      return MAPPER.treeToValue(tree, DryRunReport.class);
    } catch (com.fasterxml.jackson.databind.exc.ValueInstantiationException e) {
      if (e.getCause() instanceof ReleaseException refusal) {
        throw ReleaseException.badInput("dry-run report " + file + ": " + refusal.getMessage());
      }
      throw ReleaseException.badInput("dry-run report " + file + " is not a complete report of schema version "
          + DryRunReport.SCHEMA_VERSION + "; pass the dry-run.json that 'odoo-gitops dry-run' wrote, unmodified");
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      // Jackson's wording names Java types; say what the file should be instead.
      throw ReleaseException.badInput("dry-run report " + file + " is not a complete report of schema version "
          + DryRunReport.SCHEMA_VERSION + " (line " + (e.getLocation() == null ? 1 : e.getLocation().getLineNr())
          + "); pass the dry-run.json that 'odoo-gitops dry-run' wrote, unmodified");
    } catch (IOException e) {
      throw ReleaseException.badInput("cannot read dry-run report " + file + " (" + e.getClass().getSimpleName()
          + "); check the path");
    }
  }

  /**
   * What a promotion gate needs from a report file: the digest it judged, its verdict and the SHA-256 of the exact
   * bytes, so the {@code Dry-Run} trailer points at the report that was accepted; whether it said RESTORE_REQUIRED
   * and when it finished, for the restore point rule.
   */
  public static DryRunEvidence evidence(Path file) {
    // Parsed from the very bytes that are hashed: reading twice would let the file change in between.
    byte[] bytes = InputFiles.read(file, "dry-run report", InputFiles.LARGE_LIMIT);
    DryRunReport report = parse(bytes, file);
    if (report.judgement() == null || report.judgement().verdict() == null || report.imageDigest() == null) {
      throw ReleaseException.badInput("dry-run report " + file + " has no imageDigest or judgement.verdict; pass"
          + " the dry-run.json the dry-run wrote");
    }
    return new DryRunEvidence(report.imageDigest(),
        report.judgement().verdict(), "sha256:" + sha256(bytes), signature(file, bytes),
        report.judgement().rollbackSafety() == RollbackSafety.RESTORE_REQUIRED, report.finishedAt());
  }

  /**
   * The check of {@code FILE.sig} over {@code bytes} (the very bytes parsed), or {@code null} when there is no such
   * file. Whether the signing key may vouch for dry-runs is the gate's question ({@code dryRunSigners}).
   */
  static SignatureCheck signature(Path file, byte[] bytes) {
    Path sigFile = file.resolveSibling(file.getFileName() + SIGNATURE_SUFFIX);
    if (!Files.exists(sigFile, LinkOption.NOFOLLOW_LINKS) && !Files.exists(sigFile)) {
      return null;
    }
    String armored = InputFiles.readUtf8(sigFile, "dry-run report signature", MAX_SIGNATURE_BYTES);
    try {
      return SshSignatures.verify(bytes, SshSignature.parseArmored(armored), DryRunEvidence.SIGNATURE_NAMESPACE);
    } catch (IllegalArgumentException e) {
      return new SignatureCheck(null, SignatureCheck.Problem.BAD_SIGNATURE, sigFile + " is not an SSH signature: "
          + e.getMessage());
    }
  }

  static void write(Path file, byte[] bytes) throws IOException {
    Files.write(file, bytes);
  }
}
