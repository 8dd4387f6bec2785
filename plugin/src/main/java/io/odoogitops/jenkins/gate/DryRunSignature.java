package io.odoogitops.jenkins.gate;

import io.odoogitops.ImageDigest;
import io.odoogitops.policy.DryRunEvidence;
import io.odoogitops.policy.Verdict;
import io.odoogitops.signing.SignatureCheck;
import io.odoogitops.signing.SshKeys;
import java.io.Serial;
import java.io.Serializable;

/**
 * The check of a dry-run report's signature ({@code dry-run.json.sig}, read by the core's
 * {@link io.odoogitops.dryrun.report.JsonReport#evidence}) in a form that travels from the agent and is kept with the
 * build: the signing key as an OpenSSH public key line, and the problem, if any. Whether that key may vouch for
 * dry-runs is decided by the policy's {@code dryRunSigners} at each evaluation, as on the CLI.
 *
 * @param key the signing key ({@code ssh-ed25519 AAAA...}); null when unknown
 * @param problem the name of {@link SignatureCheck.Problem}; null when the signature is valid
 */
record DryRunSignature(String key, String problem, String detail) implements Serializable {

  @Serial
  private static final long serialVersionUID = 1L;

  /** Null when the report had no signature. */
  static DryRunSignature of(SignatureCheck check) {
    if (check == null) {
      return null;
    }
    return new DryRunSignature(check.key() == null ? null : SshKeys.format(check.key()),
        check.problem() == null ? null : check.problem().name(), check.detail());
  }

  SignatureCheck check() {
    return new SignatureCheck(key == null ? null : SshKeys.parse(key),
        problem == null ? null : SignatureCheck.Problem.valueOf(problem), detail);
  }

  /** The core's evidence of a report: its digest, verdict, hash and signature (null: unsigned). */
  static DryRunEvidence evidence(String digest, String verdict, String reportSha256, DryRunSignature signature) {
    return new DryRunEvidence(ImageDigest.parse(digest, "the dry-run report's digest"), Verdict.parse(verdict), reportSha256,
        signature == null ? null : signature.check());
  }
}
