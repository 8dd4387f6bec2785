package io.odoogitops.policy;

import io.odoogitops.signing.SignatureCheck;
import java.util.Objects;

/**
 * What the gate needs to know of a dry-run: which digest it tested, its verdict, and the SHA-256 of its report so
 * the {@code Dry-Run} trailer points at the exact report that was accepted.
 *
 * @param reportSha256 {@code sha256:<hex>} of the report file
 * @param signature the check of the report's signature ({@code dry-run.json.sig}) over the exact bytes that were
 *     parsed; {@code null} when the report came without one
 */
public record DryRunEvidence(String digest, Verdict verdict, String reportSha256, SignatureCheck signature) {

  /** The SSHSIG namespace of dry-run report signatures: a vote or commit signature is never taken for one. */
  public static final String SIGNATURE_NAMESPACE = "odoo-gitops-dryrun";

  public DryRunEvidence(String digest, Verdict verdict, String reportSha256) {
    this(digest, verdict, reportSha256, null);
  }

  public DryRunEvidence {
    Objects.requireNonNull(digest, "digest");
    Objects.requireNonNull(verdict, "verdict");
    Objects.requireNonNull(reportSha256, "reportSha256");
  }
}
