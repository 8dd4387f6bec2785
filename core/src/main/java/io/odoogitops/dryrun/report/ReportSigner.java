package io.odoogitops.dryrun.report;

import io.odoogitops.policy.DryRunEvidence;
import io.odoogitops.signing.SshKeygenSigner;
import io.odoogitops.signing.SshSigner;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Signs a dry-run report with the key of whoever ran the dry-run (a CI runner's key, say {@code ci-dryrun}): an
 * SSHSIG over the exact bytes of {@code dry-run.json} in namespace {@value DryRunEvidence#SIGNATURE_NAMESPACE}, written
 * as {@code dry-run.json.sig}, the format {@code ssh-keygen -Y sign -n odoo-gitops-dryrun} produces. A gate whose
 * policy names dry-run signers accepts only reports whose signature verifies over the bytes it parses.
 */
public final class ReportSigner {

  private final Function<byte[], String> sign;
  private final String description;

  private ReportSigner(Function<byte[], String> sign, String description) {
    this.sign = sign;
    this.description = description;
  }

  /** Signs in-process with a private key file. */
  public static ReportSigner fromKeyFile(Path key, String passphrase) {
    SshSigner signer = SshSigner.fromKeyFile(key, passphrase,
        "--signing-key-passphrase-file or the environment variable ODOO_GITOPS_SIGNING_KEY_PASSPHRASE");
    return new ReportSigner(bytes -> signer.sign(bytes, DryRunEvidence.SIGNATURE_NAMESPACE).armored(),
        signer.toString());
  }

  /** Signs through {@code ssh-keygen -Y sign}: hardware keys and keys held by ssh-agent. */
  public static ReportSigner viaSshKeygen(Path key) {
    return new ReportSigner(bytes -> SshKeygenSigner.sign(key, bytes, DryRunEvidence.SIGNATURE_NAMESPACE).armored(),
        "ssh-keygen " + key.getFileName());
  }

  /** The armored signature over {@code json}, byte for byte. */
  public String sign(byte[] json) {
    return sign.apply(json);
  }

  @Override
  public String toString() {
    return "ReportSigner[" + description + "]";
  }
}
