package io.odoogitops.policy;

import io.odoogitops.ImageDigest;
import io.odoogitops.signing.SignatureCheck;
import java.time.Instant;
import java.util.Objects;

/**
 * What the gate needs to know of a dry-run: which digest it tested, its verdict, and the SHA-256 of its report so
 * the {@code Dry-Run} trailer points at the exact report that was accepted.
 *
 * @param reportSha256 {@code sha256:<hex>} of the report file
 * @param signature the check of the report's signature ({@code dry-run.json.sig}) over the exact bytes that were
 *     parsed; {@code null} when the report came without one
 * @param restoreRequired whether the report classified the rollback as RESTORE_REQUIRED: the previous image cannot
 *     run on the migrated schema, so the way back is a restore point
 * @param finishedAt when the dry-run finished; a restore point taken earlier may predate data its verdict relied on.
 *     {@code null} when unknown (evidence rebuilt from a trailer)
 */
public record DryRunEvidence(ImageDigest digest, Verdict verdict, String reportSha256, SignatureCheck signature,
    boolean restoreRequired, Instant finishedAt) {

  /** The SSHSIG namespace of dry-run report signatures: a vote or commit signature is never taken for one. */
  public static final String SIGNATURE_NAMESPACE = "odoo-gitops-dryrun";
  /**
   * The trailer of a promotion whose dry-run said RESTORE_REQUIRED ({@code Rollback-Safety: restore-required}): its
   * rollback needs the database restored, and the history alone says so.
   */
  public static final String ROLLBACK_SAFETY = "Rollback-Safety";
  public static final String RESTORE_REQUIRED = "restore-required";

  public DryRunEvidence(ImageDigest digest, Verdict verdict, String reportSha256) {
    this(digest, verdict, reportSha256, null);
  }

  /** Evidence that says nothing about the rollback's safety or the dry-run's time. */
  public DryRunEvidence(ImageDigest digest, Verdict verdict, String reportSha256, SignatureCheck signature) {
    this(digest, verdict, reportSha256, signature, false, null);
  }

  public DryRunEvidence {
    Objects.requireNonNull(digest, "digest");
    Objects.requireNonNull(verdict, "verdict");
    Objects.requireNonNull(reportSha256, "reportSha256");
  }
}
