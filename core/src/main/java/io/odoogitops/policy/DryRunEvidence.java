package io.odoogitops.policy;

import java.util.Objects;

/**
 * What the gate needs to know of a dry-run: which digest it tested, its verdict, and the SHA-256 of its report so
 * the {@code Dry-Run} trailer points at the exact report that was accepted.
 *
 * @param reportSha256 {@code sha256:<hex>} of the report file
 */
public record DryRunEvidence(String digest, Verdict verdict, String reportSha256) {

  public DryRunEvidence {
    Objects.requireNonNull(digest, "digest");
    Objects.requireNonNull(verdict, "verdict");
    Objects.requireNonNull(reportSha256, "reportSha256");
  }
}
