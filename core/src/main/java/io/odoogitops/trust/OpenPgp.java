package io.odoogitops.trust;

import io.odoogitops.ReleaseException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPPublicKeyRingCollection;
import org.bouncycastle.openpgp.PGPSecretKey;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPSecretKeyRingCollection;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.bc.BcPBESecretKeyDecryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;

/**
 * Detached OpenPGP signatures over commit payloads with BouncyCastle's lightweight API: what {@code gpg
 * --detach-sign --armor} makes when git signs a commit, and what {@code gpg --verify} checks. Keys come from files
 * ({@code gpg --export[-secret-keys] --armor}), never from a keyring of the machine: the signing key is the one the
 * operator named, and the verifying keys are the trust root's.
 */
final class OpenPgp {

  /** The BEGIN line of an armored signature, as it starts a commit's {@code gpgsig} header. */
  static final String BEGIN = "-----BEGIN PGP SIGNATURE-----";

  private OpenPgp() {}

  /** One armored public key (ring): a certificate with its subkeys. */
  static PGPPublicKeyRing publicKey(byte[] armored, String where) {
    try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(armored))) {
      PGPPublicKeyRingCollection rings = new PGPPublicKeyRingCollection(in, new BcKeyFingerprintCalculator());
      Iterator<PGPPublicKeyRing> it = rings.getKeyRings();
      if (!it.hasNext()) {
        throw ReleaseException.badInput(where + " holds no OpenPGP public key; export one with 'gpg --export"
            + " --armor KEYID'");
      }
      PGPPublicKeyRing ring = it.next();
      if (it.hasNext()) {
        throw ReleaseException.badInput(where + " holds more than one OpenPGP key; give each key its own marker");
      }
      return ring;
    } catch (IOException | PGPException | RuntimeException e) {
      if (e instanceof ReleaseException r) {
        throw r;
      }
      throw ReleaseException.badInput(where + " is not an OpenPGP public key (" + e.getClass().getSimpleName()
          + "); export one with 'gpg --export --armor KEYID'");
    }
  }

  /** The key that signs: a subkey flagged for signing if there is one, else the primary key. */
  static PGPSecretKey signingKey(byte[] armored, String where) {
    try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(armored))) {
      PGPSecretKeyRingCollection rings = new PGPSecretKeyRingCollection(in, new BcKeyFingerprintCalculator());
      Iterator<PGPSecretKeyRing> it = rings.getKeyRings();
      if (!it.hasNext()) {
        throw ReleaseException.badInput(where + " holds no OpenPGP secret key; export it with 'gpg"
            + " --export-secret-keys --armor KEYID'");
      }
      PGPSecretKeyRing ring = it.next();
      PGPSecretKey chosen = ring.getSecretKey();
      for (PGPSecretKey key : ring) {
        if (!key.isMasterKey() && key.isSigningKey() && !key.isPrivateKeyEmpty() && signs(key.getPublicKey())) {
          chosen = key;
        }
      }
      if (chosen == null || chosen.isPrivateKeyEmpty()) {
        throw ReleaseException.badInput(where + " has no usable secret signing key (a stub exported from a"
            + " smartcard?); export the secret key itself");
      }
      return chosen;
    } catch (IOException | PGPException | RuntimeException e) {
      if (e instanceof ReleaseException r) {
        throw r;
      }
      throw ReleaseException.badInput(where + " is not an OpenPGP secret key (" + e.getClass().getSimpleName()
          + "); export it with 'gpg --export-secret-keys --armor KEYID'");
    }
  }

  private static boolean signs(PGPPublicKey subkey) {
    Iterator<PGPSignature> bindings = subkey.getSignaturesOfType(PGPSignature.SUBKEY_BINDING);
    while (bindings.hasNext()) {
      PGPSignature binding = bindings.next();
      if (binding.getHashedSubPackets() != null
          && (binding.getHashedSubPackets().getKeyFlags() & KeyFlags.SIGN_DATA) != 0) {
        return true;
      }
    }
    return false;
  }

  /** Decrypts the secret key; never puts the passphrase or key material into a message. */
  static PGPPrivateKey privateKey(PGPSecretKey key, String passphrase, String where) {
    boolean encrypted = key.getKeyEncryptionAlgorithm() != SymmetricKeyAlgorithmTags.NULL;
    if (encrypted && passphrase == null) {
      throw ReleaseException.badInput("the OpenPGP key " + where + " is protected by a passphrase; give it in a"
          + " file (--signing-key-passphrase-file) or ODOO_GITOPS_SIGNING_KEY_PASSPHRASE");
    }
    try {
      return key.extractPrivateKey(new BcPBESecretKeyDecryptorBuilder(new BcPGPDigestCalculatorProvider())
          .build(passphrase == null ? new char[0] : passphrase.toCharArray()));
    } catch (PGPException | RuntimeException e) {
      throw ReleaseException.badInput("the OpenPGP key " + where + " cannot be unlocked: wrong passphrase, or a"
          + " protection this release cannot read (export it again with gpg 2.2 or later)");
    }
  }

  /**
   * A detached, armored binary signature over {@code payload}, made at {@code at}; refused when the key is not valid
   * then, since every verifier (gpg, git, Argo CD, Flux, this product) would reject the commit.
   */
  static String sign(PGPSecretKey key, PGPPrivateKey privateKey, byte[] payload, Instant at) {
    String invalid = notValidAt(key.getPublicKey(), at);
    if (invalid != null) {
      throw ReleaseException.badInput(invalid + "; extend it (gpg --quick-set-expire KEYID 1y, for a subkey add its"
          + " fingerprint) and export it again, or sign with another release key; nothing was signed");
    }
    return detachedSignature(key, privateKey, payload, at);
  }

  /**
   * Why {@code key} could not make a signature at {@code at}: the time lies before the key's creation or at or after
   * its expiry (a key's self-signature sets its lifetime; {@code getValidSeconds} reads it). Null when it could.
   */
  static String notValidAt(PGPPublicKey key, Instant time) {
    Instant at = time.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    Instant created = key.getCreationTime().toInstant();
    if (at.isBefore(created)) {
      return "the OpenPGP key " + fingerprint(key) + " was created at " + created + ", after the signature's time "
          + at;
    }
    long valid = key.getValidSeconds();
    if (valid > 0 && !at.isBefore(created.plusSeconds(valid))) {
      return "the OpenPGP key " + fingerprint(key) + " expired at " + created.plusSeconds(valid) + ", before the"
          + " signature's time " + at;
    }
    return null;
  }

  /** The signature without any check of the key's lifetime: {@link #sign} checks it first. */
  static String detachedSignature(PGPSecretKey key, PGPPrivateKey privateKey, byte[] payload, Instant at) {
    try {
      PGPPublicKey pub = key.getPublicKey();
      PGPSignatureGenerator generator = new PGPSignatureGenerator(
          new BcPGPContentSignerBuilder(pub.getAlgorithm(), HashAlgorithmTags.SHA512), pub);
      generator.init(PGPSignature.BINARY_DOCUMENT, privateKey);
      PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
      hashed.setSignatureCreationTime(true, Date.from(at));
      hashed.setIssuerFingerprint(false, pub);
      generator.setHashedSubpackets(hashed.generate());
      generator.update(payload);
      PGPSignature signature = generator.generate();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (ArmoredOutputStream armor = new ArmoredOutputStream(out)) {
        armor.clearHeaders();
        signature.encode(armor);
      }
      return out.toString(StandardCharsets.US_ASCII);
    } catch (IOException | PGPException e) {
      throw ReleaseException.infrastructure("signing with the OpenPGP key " + fingerprint(key.getPublicKey())
          + " failed (" + e.getClass().getSimpleName() + ")", null);
    }
  }

  /** The outcome of checking one OpenPGP signature against a role's keys. */
  record Check(boolean valid, boolean knownKey, String principal, String fingerprint, String detail) {}

  /** Checks an armored detached signature over {@code payload} against {@code keys}. */
  static Check verify(String armored, byte[] payload, List<TrustRoot.OpenPgpKey> keys) {
    PGPSignature signature;
    try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(
        armored.getBytes(StandardCharsets.US_ASCII)))) {
      Object object = new BcPGPObjectFactory(in).nextObject();
      if (!(object instanceof PGPSignatureList list) || list.size() != 1) {
        return new Check(false, false, null, null, "the gpgsig header is not one OpenPGP signature");
      }
      signature = list.get(0);
    } catch (IOException | RuntimeException e) {
      return new Check(false, false, null, null, "the OpenPGP signature is malformed");
    }
    if (signature.getSignatureType() != PGPSignature.BINARY_DOCUMENT
        && signature.getSignatureType() != PGPSignature.CANONICAL_TEXT_DOCUMENT) {
      return new Check(false, false, null, null, "the OpenPGP signature is not a document signature");
    }
    List<String> unknown = new ArrayList<>();
    for (TrustRoot.OpenPgpKey candidate : keys) {
      PGPPublicKey key = candidate.ring().getPublicKey(signature.getKeyID());
      if (key == null) {
        continue;
      }
      String fingerprint = fingerprint(key);
      if (key.hasRevocation() || candidate.ring().getPublicKey().hasRevocation()) {
        return new Check(false, true, candidate.principal(), fingerprint, "the OpenPGP key " + fingerprint + " of "
            + candidate.principal() + " is revoked");
      }
      try {
        signature.init(new BcPGPContentVerifierBuilderProvider(), key);
        signature.update(payload);
        if (signature.verify()) {
          // Like git with SSH keys' valid-before: a signature made while the key was valid stays good; one made
          // after the key (or the certificate it belongs to) expired does not count.
          Instant signedAt = signature.getCreationTime().toInstant();
          String invalid = notValidAt(candidate.ring().getPublicKey(), signedAt);
          invalid = invalid != null ? invalid : notValidAt(key, signedAt);
          if (invalid != null) {
            return new Check(false, true, candidate.principal(), fingerprint, invalid + " (" + candidate.principal()
                + ", " + candidate.where() + ")");
          }
          return new Check(true, true, candidate.principal(), fingerprint, "good OpenPGP signature by "
              + candidate.principal() + " (" + fingerprint + ", " + candidate.where() + ")");
        }
      } catch (PGPException | RuntimeException e) {
        // a malformed signature packet: not valid, said below
      }
      return new Check(false, true, candidate.principal(), fingerprint, "the OpenPGP signature by " + fingerprint
          + " does not match the commit (changed after signing, or forged)");
    }
    unknown.add(String.format("%016X", signature.getKeyID()));
    return new Check(false, false, null, unknown.get(0), "OpenPGP key " + unknown.get(0) + " is not a key of"
        + " this role in the trust root");
  }

  static String fingerprint(PGPPublicKey key) {
    return HexFormat.of().withUpperCase().formatHex(key.getFingerprint());
  }
}
