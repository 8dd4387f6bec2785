package io.odoogitops.cli;

import io.odoogitops.ReleaseException;
import io.odoogitops.dryrun.report.ReportSigner;
import io.odoogitops.restore.RestorePointSignature;
import io.odoogitops.signing.SshSigner;
import io.odoogitops.trust.CommitSigner;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The key that signs what a command writes: promotion and rollback commits (the release key), or a dry-run report
 * (the dry-run runner's key). Its passphrase only from a file or the environment.
 */
public final class SigningOptions {

  /** The variable the passphrase is read from when no file is given. */
  static final String PASSPHRASE_VARIABLE = "ODOO_GITOPS_SIGNING_KEY_PASSPHRASE";

  @Option(names = "--signing-key", paramLabel = "FILE",
      description = "Private key that signs: promotion/rollback commits (the release key; required with a trust"
          + " root), the dry-run report (dry-run.json.sig) or a restore point's evidence (restore-point.json.sig). SSH (OpenSSH private key) or, with --signing-format"
          + " openpgp, an armored OpenPGP secret key (gpg --export-secret-keys --armor).")
  Path key;

  @Mixin SecretOptions passphrase = new SecretOptions("--signing-key-passphrase", "signing key's passphrase",
      PASSPHRASE_VARIABLE);

  @Option(names = "--signing-format", paramLabel = "ssh|openpgp", defaultValue = "ssh",
      description = "Commit signature format (default: ${DEFAULT-VALUE}); openpgp for Argo CD signature keys and"
          + " Flux's openpgp verification. Dry-run reports are always SSH signatures.")
  String format;

  /** The commit signer, when {@code --signing-key} is given. */
  Optional<CommitSigner> commitSigner() {
    if (key == null) {
      return Optional.empty();
    }
    return Optional.of(CommitSigner.fromKeyFile(key, CommitSigner.Format.parse(format),
        passphrase.value().orElse(null)));
  }

  /** The report signer, when {@code --signing-key} is given. */
  Optional<ReportSigner> reportSigner() {
    if (key == null) {
      return Optional.empty();
    }
    requireSsh("dry-run reports", "odoo-gitops-dryrun", "dry-run");
    return Optional.of(ReportSigner.fromKeyFile(key, passphrase.value().orElse(null)));
  }

  /** The signer of a restore point's evidence, when {@code --signing-key} is given. */
  Optional<SshSigner> restorePointSigner() {
    if (key == null) {
      return Optional.empty();
    }
    requireSsh("restore points", RestorePointSignature.NAMESPACE, "restore-point take");
    return Optional.of(SshSigner.fromKeyFile(key, passphrase.value().orElse(null),
        "--signing-key-passphrase-file or the environment variable " + PASSPHRASE_VARIABLE));
  }

  private void requireSsh(String what, String namespace, String command) {
    if (CommitSigner.Format.parse(format) != CommitSigner.Format.SSH) {
      throw ReleaseException.badInput(what + " are signed with an SSH key (namespace " + namespace + ");"
          + " drop --signing-format openpgp for " + command);
    }
  }
}
