package io.odoogitops.signing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;

/**
 * One SSH signature in the {@code SSHSIG} envelope of OpenSSH's PROTOCOL.sshsig: the signer's public key, the
 * namespace the signature is valid in, the hash algorithm applied to the message, and the signature proper. The
 * armored form is what {@code ssh-keygen -Y sign} writes and git stores in {@code gpgsig}.
 *
 * @param publicKey the key that made the signature (it still has to be trusted: see {@link AllowedSigners})
 * @param namespace what the signature is for, e.g. {@code git} or {@code odoo-gitops}; part of the signed data
 * @param hashAlgorithm {@code sha256} or {@code sha512}
 * @param signature the SSH signature blob: algorithm name and signature bytes (plus flags and counter for sk keys)
 */
public record SshSignature(PublicKey publicKey, String namespace, String hashAlgorithm, byte[] signature) {

  static final byte[] MAGIC = "SSHSIG".getBytes(StandardCharsets.US_ASCII);
  static final int VERSION = 1;
  public static final String BEGIN = "-----BEGIN SSH SIGNATURE-----";
  public static final String END = "-----END SSH SIGNATURE-----";
  /** An armored signature of an RSA-4096 key is about 1.2 kB; anything far larger is not a signature. */
  static final int MAX_ARMORED_CHARS = 16 * 1024;

  public SshSignature {
    Objects.requireNonNull(publicKey, "publicKey");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(hashAlgorithm, "hashAlgorithm");
    signature = signature.clone();
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }

  /** The name of the signature algorithm inside the blob, e.g. {@code rsa-sha2-512}; {@code ?} if unreadable. */
  public String signatureAlgorithm() {
    try {
      return new ByteArrayBuffer(signature).getString();
    } catch (RuntimeException e) {
      return "?";
    }
  }

  /**
   * The bytes the signature is computed over (PROTOCOL.sshsig): {@code "SSHSIG" || string(namespace) ||
   * string(reserved) || string(hash_algorithm) || string(H(message))}.
   */
  static byte[] signedData(String namespace, String hashAlgorithm, byte[] message) {
    ByteArrayBuffer buffer = new ByteArrayBuffer();
    buffer.putRawBytes(MAGIC);
    buffer.putString(namespace);
    buffer.putString("");
    buffer.putString(hashAlgorithm);
    buffer.putBytes(hash(hashAlgorithm, message));
    return buffer.getCompactData();
  }

  static byte[] hash(String hashAlgorithm, byte[] message) {
    String jca = switch (hashAlgorithm) {
      case "sha256" -> "SHA-256";
      case "sha512" -> "SHA-512";
      default -> throw new IllegalArgumentException("hash algorithm '" + hashAlgorithm + "' is not allowed in an SSH"
          + " signature; only sha256 and sha512 are");
    };
    try {
      return MessageDigest.getInstance(jca).digest(message);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(jca + " is missing from this Java runtime", e);
    }
  }

  /** The binary envelope. */
  public byte[] toBinary() {
    ByteArrayBuffer buffer = new ByteArrayBuffer();
    buffer.putRawBytes(MAGIC);
    buffer.putUInt(VERSION);
    buffer.putBytes(SshKeys.blob(publicKey));
    buffer.putString(namespace);
    buffer.putString("");
    buffer.putString(hashAlgorithm);
    buffer.putBytes(signature);
    return buffer.getCompactData();
  }

  /** The armored form, lines of 70 characters as ssh-keygen writes them, ending with a newline. */
  public String armored() {
    String base64 = Base64.getEncoder().encodeToString(toBinary());
    StringBuilder text = new StringBuilder(BEGIN).append('\n');
    for (int i = 0; i < base64.length(); i += 70) {
      text.append(base64, i, Math.min(base64.length(), i + 70)).append('\n');
    }
    return text.append(END).append('\n').toString();
  }

  /**
   * Reads an armored signature: the BEGIN line, base64 lines, the END line; surrounding blank lines are allowed,
   * anything else is not.
   *
   * @throws IllegalArgumentException saying what is malformed
   */
  public static SshSignature parseArmored(String text) {
    if (text.length() > MAX_ARMORED_CHARS) {
      throw new IllegalArgumentException("the signature is " + text.length() + " characters, more than any SSH"
          + " signature");
    }
    String[] lines = text.strip().split("\r?\n", -1);
    if (lines.length < 3 || !lines[0].strip().equals(BEGIN) || !lines[lines.length - 1].strip().equals(END)) {
      throw new IllegalArgumentException("not an armored SSH signature (expected " + BEGIN + " ... " + END + ")");
    }
    StringBuilder base64 = new StringBuilder();
    for (int i = 1; i < lines.length - 1; i++) {
      base64.append(lines[i].strip());
    }
    byte[] binary;
    try {
      binary = Base64.getDecoder().decode(base64.toString());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the SSH signature is not valid base64");
    }
    return parseBinary(binary);
  }

  /** Reads the binary envelope. */
  public static SshSignature parseBinary(byte[] binary) {
    try {
      ByteArrayBuffer buffer = new ByteArrayBuffer(binary);
      byte[] magic = new byte[MAGIC.length];
      buffer.getRawBytes(magic);
      if (!Arrays.equals(magic, MAGIC)) {
        throw new IllegalArgumentException("not an SSH signature (no SSHSIG preamble)");
      }
      long version = buffer.getUInt();
      if (version != VERSION) {
        throw new IllegalArgumentException("SSH signature version " + version + " is not supported (only 1)");
      }
      PublicKey key = SshKeys.fromBlob(buffer.getBytes());
      String namespace = buffer.getString();
      buffer.getString(); // reserved: ignored, as the specification says
      String hash = buffer.getString().toLowerCase(Locale.ROOT);
      byte[] signature = buffer.getBytes();
      if (buffer.available() != 0) {
        throw new IllegalArgumentException("the SSH signature has trailing data");
      }
      hash(hash, new byte[0]);
      return new SshSignature(key, namespace, hash, signature);
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (RuntimeException e) {
      // sshd's buffer reports truncation with its own exceptions; the signature is simply malformed.
      throw new IllegalArgumentException("the SSH signature is truncated or malformed");
    }
  }
}
