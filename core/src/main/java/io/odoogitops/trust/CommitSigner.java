package io.odoogitops.trust;

import io.odoogitops.InputFiles;
import io.odoogitops.ReleaseException;
import io.odoogitops.signing.SshKeys;
import io.odoogitops.signing.SshSigner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPSecretKey;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.GpgSignature;

/**
 * Signs commits the way {@code git commit -S} does: the detached signature over the commit object goes into its
 * {@code gpgsig} header. SSH keys sign an SSHSIG in namespace {@code git} ({@code gpg.format=ssh}); OpenPGP keys a
 * binary detached signature ({@code gpg.format=openpgp}), which Argo CD and Flux can verify.
 */
public final class CommitSigner {

  /** The two formats git verifies that odoo-gitops makes. */
  public enum Format {
    SSH, OPENPGP;

    /** {@code ssh} or {@code openpgp}, as {@code --signing-format} takes it. */
    public static Format parse(String text) {
      for (Format f : values()) {
        if (f.name().equalsIgnoreCase(text)) {
          return f;
        }
      }
      throw ReleaseException.badInput("--signing-format '" + text + "' is not known; use ssh or openpgp");
    }

    public String lowerCase() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** How the CLI takes a signing key's passphrase, for messages. */
  public static final String PASSPHRASE_HINT = "--signing-key-passphrase-file or the environment variable"
      + " ODOO_GITOPS_SIGNING_KEY_PASSPHRASE";

  private final Format format;
  private final SshSigner ssh;
  private final PGPSecretKey pgpKey;
  private final PGPPrivateKey pgpPrivate;

  private CommitSigner(Format format, SshSigner ssh, PGPSecretKey pgpKey, PGPPrivateKey pgpPrivate) {
    this.format = format;
    this.ssh = ssh;
    this.pgpKey = pgpKey;
    this.pgpPrivate = pgpPrivate;
  }

  /**
   * Loads the signing key.
   *
   * @param passphrase {@code null} when none was given (an encrypted key is then refused)
   */
  public static CommitSigner fromKeyFile(Path file, Format format, String passphrase) {
    if (format == Format.SSH) {
      return new CommitSigner(format, SshSigner.fromKeyFile(file, passphrase, PASSPHRASE_HINT), null, null);
    }
    byte[] armored = InputFiles.read(file, "OpenPGP signing key", InputFiles.SECRET_LIMIT);
    PGPSecretKey key = OpenPgp.signingKey(armored, file.toString());
    return new CommitSigner(format, null, key, OpenPgp.privateKey(key, passphrase, file.toString()));
  }

  /**
   * Loads a signing key held in memory (a Jenkins system credential, read on the controller), never written to disk.
   *
   * @param name how to name the key in messages, e.g. the credential's id
   */
  public static CommitSigner fromKey(byte[] key, String name, Format format, String passphrase) {
    if (key.length > InputFiles.SECRET_LIMIT) {
      throw ReleaseException.badInput("the signing key " + name + " is larger than any private key; check it");
    }
    if (format == Format.SSH) {
      return new CommitSigner(format, SshSigner.fromKey(key, name, passphrase, PASSPHRASE_HINT), null, null);
    }
    PGPSecretKey secret = OpenPgp.signingKey(key, name);
    return new CommitSigner(format, null, secret, OpenPgp.privateKey(secret, passphrase, name));
  }

  public Format format() {
    return format;
  }

  /** The signature git would put into {@code gpgsig} for {@code payload}, armored. */
  public String signature(byte[] payload, Instant at) {
    return format == Format.SSH ? ssh.sign(payload, CommitSignatures.NAMESPACE).armored()
        : OpenPgp.sign(pgpKey, pgpPrivate, payload, at);
  }

  /** Signs {@code commit} in place: its bytes without a signature, signed, into its {@code gpgsig} header. */
  public void sign(CommitBuilder commit, Instant at) {
    commit.setGpgSignature(null);
    byte[] unsigned;
    try {
      unsigned = commit.build();
    } catch (java.io.UnsupportedEncodingException e) {
      throw new IllegalStateException("UTF-8 is part of every JRE", e);
    }
    String signature = signature(unsigned, at);
    commit.setGpgSignature(new GpgSignature(signature.getBytes(StandardCharsets.US_ASCII)));
  }

  /** The key's fingerprint, for messages: {@code SHA256:...} or the OpenPGP fingerprint. */
  public String fingerprint() {
    return format == Format.SSH ? SshKeys.fingerprint(ssh.publicKey()) : OpenPgp.fingerprint(pgpKey.getPublicKey());
  }

  @Override
  public String toString() {
    return "CommitSigner[" + format.lowerCase() + " " + fingerprint() + "]";
  }
}
