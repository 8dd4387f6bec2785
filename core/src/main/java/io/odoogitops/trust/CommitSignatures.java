package io.odoogitops.trust;

import io.odoogitops.ReleaseException;
import io.odoogitops.signing.AllowedSigners;
import io.odoogitops.signing.SignatureCheck;
import io.odoogitops.signing.SshKeys;
import io.odoogitops.signing.SshSignature;
import io.odoogitops.signing.SshSignatures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.eclipse.jgit.lib.AnyObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * Verifies git commit signatures against a {@link TrustRoot}, as {@code git verify-commit} does with
 * {@code gpg.ssh.allowedSignersFile} (SSH) or a keyring (OpenPGP): the {@code gpgsig} header holds a detached
 * signature over the commit object without that header; SSH signatures are SSHSIG in namespace {@code git}, checked
 * for validity at the committer's time, as git asks ssh-keygen to.
 */
public final class CommitSignatures {

  /** The SSHSIG namespace git signs commits in. */
  public static final String NAMESPACE = "git";

  /** The commit split into what was signed and the signature; {@code signature} is null when unsigned. */
  record Parts(byte[] payload, String signature, boolean ambiguous) {}

  private CommitSignatures() {}

  /** Reads {@code commit} from {@code repository} and verifies it. */
  public static CommitSignature verify(Repository repository, AnyObjectId commit, TrustRoot root, Role role) {
    try (RevWalk walk = new RevWalk(repository)) {
      return verify(walk.parseCommit(commit), root, role);
    } catch (IOException e) {
      throw ReleaseException.infrastructure("cannot read commit " + commit.name() + " to check its signature: "
          + e.getMessage(), e);
    }
  }

  /** Whether {@code commit} is signed by a key the trust root gives {@code role}. Never throws for bad input. */
  public static CommitSignature verify(RevCommit commit, TrustRoot root, Role role) {
    String id = commit.name();
    byte[] raw = commit.getRawBuffer();
    if (raw == null) {
      return new CommitSignature(id, CommitSignature.Status.UNSIGNED, null, null, null, "the commit's body was not"
          + " read (too large?), so it carries no signature odoo-gitops checks");
    }
    Parts parts = split(raw);
    if (parts.ambiguous()) {
      return new CommitSignature(id, CommitSignature.Status.INVALID, null, null, null, "the commit has more than"
          + " one gpgsig header");
    }
    if (parts.signature() == null) {
      return new CommitSignature(id, CommitSignature.Status.UNSIGNED, null, null, null, "unsigned commit by "
          + printable(commit.getCommitterIdent().getName()));
    }
    Instant at = Instant.ofEpochSecond(commit.getCommitTime());
    if (parts.signature().startsWith(SshSignature.BEGIN)) {
      return ssh(id, parts, root.sshSigners(role), role, at);
    }
    if (parts.signature().startsWith(OpenPgp.BEGIN)) {
      OpenPgp.Check check = OpenPgp.verify(parts.signature(), parts.payload(), root.openPgpKeys(role));
      CommitSignature.Status status = check.valid() ? CommitSignature.Status.TRUSTED
          : check.knownKey() ? CommitSignature.Status.INVALID : CommitSignature.Status.UNTRUSTED;
      return new CommitSignature(id, status, "openpgp", check.valid() ? check.principal() : null,
          check.fingerprint(), check.detail());
    }
    return new CommitSignature(id, CommitSignature.Status.INVALID, null, null, null, "the gpgsig header is neither"
        + " an SSH nor an OpenPGP signature (X.509 signatures are not supported)");
  }

  private static CommitSignature ssh(String id, Parts parts, AllowedSigners signers, Role role, Instant at) {
    SshSignature signature;
    try {
      signature = SshSignature.parseArmored(parts.signature());
    } catch (IllegalArgumentException e) {
      return new CommitSignature(id, CommitSignature.Status.INVALID, "ssh", null, null, "the SSH signature is"
          + " malformed: " + e.getMessage());
    }
    SignatureCheck check = SshSignatures.verify(parts.payload(), signature, NAMESPACE);
    if (!check.valid()) {
      return new CommitSignature(id, CommitSignature.Status.INVALID, "ssh", null, check.fingerprint(),
          check.detail());
    }
    List<String> principals = signers.principalsFor(signature.publicKey(), NAMESPACE, at);
    String fingerprint = SshKeys.fingerprint(signature.publicKey());
    if (principals.isEmpty()) {
      return new CommitSignature(id, CommitSignature.Status.UNTRUSTED, "ssh", null, fingerprint, "signed with key "
          + fingerprint + ", which is not a " + role.marker() + " key of the trust root (or not valid at "
          + at + ")");
    }
    return new CommitSignature(id, CommitSignature.Status.TRUSTED, "ssh", principals.get(0), fingerprint,
        "good SSH signature by " + principals.get(0) + " (" + role.marker() + ", key " + fingerprint + ")");
  }

  /**
   * Splits a raw commit into the signed payload (every header but {@code gpgsig} and {@code gpgsig-sha256}, with
   * their continuation lines, then the message) and the signature (continuation lines without their leading space).
   */
  static Parts split(byte[] raw) {
    String text = new String(raw, StandardCharsets.ISO_8859_1); // byte-preserving
    int headerEnd = text.indexOf("\n\n");
    String header = headerEnd < 0 ? text : text.substring(0, headerEnd + 1);
    String rest = headerEnd < 0 ? "" : text.substring(headerEnd + 1);
    ByteArrayOutputStream payload = new ByteArrayOutputStream(raw.length);
    StringBuilder signature = null;
    int signatures = 0;
    boolean inSignature = false;
    boolean inOtherSignature = false;
    for (String line : header.split("(?<=\n)")) {
      if (line.startsWith(" ") && (inSignature || inOtherSignature)) {
        if (inSignature) {
          signature.append('\n').append(line, 1, line.length() - (line.endsWith("\n") ? 1 : 0));
        }
        continue;
      }
      inSignature = line.startsWith("gpgsig ");
      inOtherSignature = line.startsWith("gpgsig-sha256 ");
      if (inSignature) {
        signatures++;
        signature = new StringBuilder(line.substring("gpgsig ".length()).replaceAll("\n$", ""));
        continue;
      }
      if (inOtherSignature) {
        continue;
      }
      payload.writeBytes(line.getBytes(StandardCharsets.ISO_8859_1));
    }
    payload.writeBytes(rest.getBytes(StandardCharsets.ISO_8859_1));
    String sig = signature == null ? null : signature.append('\n').toString();
    return new Parts(payload.toByteArray(), sig, signatures > 1);
  }

  static String printable(String text) {
    String flat = text == null ? "" : text.replaceAll("[\\p{Cntrl}\\u2028\\u2029]", "?");
    return flat.length() > 64 ? flat.substring(0, 61) + "..." : flat;
  }
}
