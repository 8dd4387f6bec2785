package io.odoogitops.signing;

import io.odoogitops.ReleaseException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.Iterator;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.signature.BuiltinSignatures;
import org.apache.sshd.common.signature.Signature;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;
import org.apache.sshd.common.util.security.SecurityUtils;

/**
 * Signs bytes with a private key file, producing what {@code ssh-keygen -Y sign -n NAMESPACE -f KEY} produces (with
 * {@code sha512}, ssh-keygen's default). Hardware-backed keys cannot sign in-process: their private half lives on the
 * token; {@link SshKeygenSigner} hands those to {@code ssh-keygen}.
 */
public final class SshSigner {

  /** OpenSSH private keys are a few kB; a larger file is not one. */
  private static final int MAX_KEY_BYTES = 64 * 1024;

  private final KeyPair keys;
  private final String algorithm;

  private SshSigner(KeyPair keys) {
    this.keys = keys;
    String type = KeyUtils.getKeyType(keys.getPublic());
    this.algorithm = "ssh-rsa".equals(type) ? "rsa-sha2-512" : type;
  }

  /**
   * Loads an OpenSSH (or PEM) private key file.
   *
   * @param passphrase of an encrypted key; {@code null} when none was given (an encrypted key is then refused)
   */
  public static SshSigner fromKeyFile(Path file, String passphrase) {
    return fromKeyFile(file, passphrase, VOTE_PASSPHRASE_HINT);
  }

  /** The vote commands' way to give a passphrase; other commands name their own flag. */
  static final String VOTE_PASSPHRASE_HINT = "--key-passphrase-file or the environment variable"
      + " ODOO_GITOPS_KEY_PASSPHRASE";

  /**
   * Like {@link #fromKeyFile(Path, String)}, naming in messages how this command takes a passphrase.
   *
   * @param passphraseHint e.g. {@code "--signing-key-passphrase-file or ODOO_GITOPS_SIGNING_KEY_PASSPHRASE"}
   */
  public static SshSigner fromKeyFile(Path file, String passphrase, String passphraseHint) {
    return fromKey(readKey(file), file.toString(), passphrase, passphraseHint);
  }

  /**
   * Loads a private key held in memory, e.g. a credential a CI controller keeps, without writing it to disk.
   *
   * @param name how to name the key in messages (never its content)
   */
  public static SshSigner fromKey(byte[] bytes, String name, String passphrase, String passphraseHint) {
    KeyPair pair;
    try (InputStream in = new java.io.ByteArrayInputStream(bytes)) {
      FilePasswordProvider password = passphrase == null ? FilePasswordProvider.EMPTY
          : FilePasswordProvider.of(passphrase);
      Iterable<KeyPair> pairs = SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName(name), in,
          password);
      Iterator<KeyPair> it = pairs == null ? null : pairs.iterator();
      if (it == null || !it.hasNext()) {
        throw ReleaseException.badInput(name + " holds no private key; pass the private key file (not the .pub)");
      }
      pair = it.next();
    } catch (ReleaseException e) {
      throw e;
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      // Never sshd's message: it may quote parts of the file. Name the likely causes instead.
      boolean encrypted = e instanceof javax.security.auth.login.FailedLoginException || encrypted(bytes);
      if (encrypted && passphrase == null) {
        throw ReleaseException.badInput("the private key " + name + " is encrypted; give its passphrase with "
            + passphraseHint);
      }
      if (encrypted) {
        throw ReleaseException.badInput("the private key " + name + " cannot be decrypted: wrong passphrase?");
      }
      throw ReleaseException.badInput("the private key " + name + " cannot be read (" + e.getClass().getSimpleName()
          + "); pass an unencrypted or passphrase-protected OpenSSH private key (ssh-keygen -t ed25519)");
    }
    String type = KeyUtils.getKeyType(pair.getPublic());
    if (pair.getPrivate() == null || type == null || type.startsWith("sk-")) {
      throw ReleaseException.badInput(name + " is a hardware-backed (" + type + ") key: its private half is on the"
          + " token; sign with ssh-keygen instead (--sign-with ssh-keygen)");
    }
    if (!SshKeys.KEY_TYPES.contains(type)) {
      throw ReleaseException.badInput(name + " is a " + type + " key; sign with an ed25519, ecdsa or rsa key");
    }
    return new SshSigner(pair);
  }

  /** Whether an OpenSSH key names a cipher other than "none", or a PEM key says ENCRYPTED. */
  private static boolean encrypted(byte[] bytes) {
    String text = new String(bytes, java.nio.charset.StandardCharsets.US_ASCII);
    if (text.contains("ENCRYPTED")) {
      return true;
    }
    String begin = "-----BEGIN OPENSSH PRIVATE KEY-----";
    int from = text.indexOf(begin);
    int to = text.indexOf("-----END OPENSSH PRIVATE KEY-----");
    if (from < 0 || to < from) {
      return false;
    }
    try {
      byte[] body = java.util.Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to));
      ByteArrayBuffer buffer = new ByteArrayBuffer(body);
      buffer.rpos("openssh-key-v1".length() + 1);
      return !"none".equals(buffer.getString());
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static byte[] readKey(Path file) {
    try {
      if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
        throw ReleaseException.badInput("the private key " + file + " does not exist; check --key");
      }
      if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(file)) {
        throw ReleaseException.badInput("the private key " + file + " is not a regular file");
      }
      if (Files.size(file) > MAX_KEY_BYTES) {
        throw ReleaseException.badInput("the private key " + file + " is larger than any SSH private key ("
            + MAX_KEY_BYTES + " bytes); check the path");
      }
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw ReleaseException.badInput("the private key " + file + " does not exist; check --key");
    } catch (IOException e) {
      throw ReleaseException.badInput("cannot read the private key " + file + " (" + e.getClass().getSimpleName()
          + "); check its permissions");
    }
  }

  public PublicKey publicKey() {
    return keys.getPublic();
  }

  /** Signs {@code message} for {@code namespace}. */
  public SshSignature sign(byte[] message, String namespace) {
    byte[] data = SshSignature.signedData(namespace, "sha512", message);
    try {
      Signature signer = BuiltinSignatures.fromFactoryName(algorithm).create();
      signer.initSigner(null, keys.getPrivate());
      signer.update(null, data);
      byte[] raw = signer.sign(null);
      ByteArrayBuffer blob = new ByteArrayBuffer();
      blob.putString(algorithm);
      blob.putBytes(raw);
      return new SshSignature(keys.getPublic(), namespace, "sha512", blob.getCompactData());
    } catch (Exception e) {
      throw ReleaseException.infrastructure("signing with the " + algorithm + " key "
          + SshKeys.fingerprint(keys.getPublic()) + " failed (" + e.getClass().getSimpleName() + ")", null);
    }
  }

  @Override
  public String toString() {
    return "SshSigner[" + algorithm + " " + SshKeys.fingerprint(keys.getPublic()) + "]";
  }
}
