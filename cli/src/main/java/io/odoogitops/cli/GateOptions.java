package io.odoogitops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.odoogitops.ReleaseException;
import io.odoogitops.config.ConfigLoader;
import io.odoogitops.gitops.GateCheck;
import io.odoogitops.policy.ApprovalsFile;
import io.odoogitops.policy.Candidate;
import io.odoogitops.policy.DryRunEvidence;
import io.odoogitops.policy.OverrideRequest;
import io.odoogitops.policy.Verdict;
import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The gate's inputs from the command line, shared by {@code gate check} (asks) and {@code promote}/{@code rollback}
 * (enforce, right before the push).
 */
public final class GateOptions {

  @Option(names = "--source-author", paramLabel = "USER",
      description = "Author of the source revision the image was built from (barred from approving).")
  String sourceAuthor;

  @Option(names = "--approvals", paramLabel = "FILE",
      description = "Votes: a JSON or YAML list of {voter, environment, application, digest, at, vote[, scope]}.")
  Path approvals;

  @Option(names = "--dry-run-report", paramLabel = "FILE",
      description = "Dry-run report (JSON with top-level 'digest' and 'verdict'); its SHA-256 goes in the trailer.")
  Path dryRunReport;

  @Option(names = "--override-justification", paramLabel = "TEXT",
      description = "Request an emergency override of active freezes, with this justification.")
  String overrideJustification;

  @Option(names = "--at", paramLabel = "TIME",
      description = "Decide as of this time (default: now); local times are in the configuration's timeZone.")
  String at;

  GateCheck.Inputs inputs() {
    List<io.odoogitops.policy.Approval> votes = approvals == null ? List.of()
        : ApprovalsFile.read(PolicyConfigOption.read(approvals, "approvals"), approvals.toString());
    return new GateCheck.Inputs(sourceAuthor, votes,
        Optional.ofNullable(dryRunReport).map(GateOptions::dryRunEvidence),
        Optional.ofNullable(overrideJustification).map(OverrideRequest::new));
  }

  Instant instant(ZoneId zone) {
    return PolicyConfigOption.instant(at, "--at", zone, Instant.now());
  }

  GateCheck check() {
    GateCheck.Inputs inputs = inputs();
    return new GateCheck(inputs, this::instant, io.odoogitops.policy.ConfigGroupDirectory::of);
  }

  static DryRunEvidence dryRunEvidence(Path file) {
    byte[] bytes = PolicyConfigOption.read(file, "dry-run report");
    JsonNode report;
    try {
      report = ConfigLoader.strictYamlMapper().readTree(bytes);
    } catch (IOException e) {
      throw ReleaseException.badInput(file + ": not a JSON dry-run report; pass the report.json the dry-run wrote");
    }
    if (report == null || !report.path("digest").isTextual() || !report.path("verdict").isTextual()) {
      throw ReleaseException.badInput(file + ": a dry-run report needs top-level 'digest' and 'verdict' fields;"
          + " pass the report.json the dry-run wrote");
    }
    Verdict verdict;
    try {
      verdict = Verdict.parse(report.path("verdict").asText());
    } catch (IllegalArgumentException e) {
      throw ReleaseException.badInput(file + ": " + e.getMessage());
    }
    String reportDigest = Candidate.requireDigest(report.path("digest").asText(), file + ": 'digest'");
    return new DryRunEvidence(reportDigest, verdict, "sha256:" + sha256(bytes));
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
