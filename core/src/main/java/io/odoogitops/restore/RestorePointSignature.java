package io.odoogitops.restore;

import io.odoogitops.InputFiles;
import io.odoogitops.signing.SignatureCheck;
import io.odoogitops.signing.SshSignature;
import io.odoogitops.signing.SshSignatures;
import io.odoogitops.signing.SshSigner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Who vouches for a restore point: an SSHSIG ({@code ssh-keygen -Y sign -n odoo-gitops-restore-point}) over the
 * evidence file as {@code restore-point take} writes it and the promotion commits it, kept next to it as
 * {@code <evidence>.sig}. The signature covers the canonical JSON of the parsed point ({@link
 * RestorePointEvidence#toJson}), which is byte for byte the file take wrote and the file in the GitOps repository: so
 * a reader verifies the committed file with ssh-keygen, and a point re-read by Jenkins on an agent keeps its
 * signature, while every changed fact breaks it. Whether the key may vouch for restore points is the gate's question
 * ({@code restorePointSigners}).
 */
public final class RestorePointSignature {

  /** The SSHSIG namespace: a dry-run, vote or commit signature is never taken for a restore point's. */
  public static final String NAMESPACE = "odoo-gitops-restore-point";
  /** The signature file is the evidence file's name with this suffix. */
  public static final String SUFFIX = ".sig";

  private static final int MAX_SIGNATURE_BYTES = 16 * 1024;

  private RestorePointSignature() {}

  /** The armored signature of {@code point}'s evidence by {@code signer}. */
  public static String sign(RestorePoint point, SshSigner signer) {
    return signer.sign(bytes(point), NAMESPACE).armored();
  }

  /** The check of {@code armored} over {@code point}'s evidence; a text that is no SSH signature is a bad one. */
  public static SignatureCheck check(RestorePoint point, String armored) {
    try {
      return SshSignatures.verify(bytes(point), SshSignature.parseArmored(armored), NAMESPACE);
    } catch (IllegalArgumentException e) {
      return new SignatureCheck(null, SignatureCheck.Problem.BAD_SIGNATURE, "the restore point's signature is not"
          + " an SSH signature: " + e.getMessage());
    }
  }

  /** The signature file of the evidence file {@code evidence}. */
  public static Path fileOf(Path evidence) {
    return evidence.resolveSibling(evidence.getFileName() + SUFFIX);
  }

  /** The armored signature next to {@code evidence}, when there is one. */
  public static Optional<String> readNextTo(Path evidence) {
    Path file = fileOf(evidence);
    if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      return Optional.empty();
    }
    return Optional.of(InputFiles.readUtf8(file, "restore point signature", MAX_SIGNATURE_BYTES));
  }

  /** Where a promotion commits the signature of its point's evidence: next to the evidence. */
  public static String repositoryPath(String environment, String application, RestorePointRef ref) {
    return RestorePointEvidence.repositoryPath(environment, application, ref) + SUFFIX;
  }

  private static byte[] bytes(RestorePoint point) {
    return RestorePointEvidence.toJson(point).getBytes(StandardCharsets.UTF_8);
  }
}
