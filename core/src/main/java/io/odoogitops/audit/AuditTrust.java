package io.odoogitops.audit;

import io.odoogitops.gitops.GitOpsRepository;
import io.odoogitops.trust.CommitSignature;
import io.odoogitops.trust.Role;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * What a trust root adds to an audit: release-key signatures of promotion commits and signed policy changes.
 *
 * @param configured whether a trust root stands behind the checks; without one the report says every gate decision
 *     it re-checks rests on a policy file anyone with push access could have changed
 */
public record AuditTrust(CommitSignatureCheck commits, PolicyCheck policy, boolean configured) {

  public AuditTrust {
    Objects.requireNonNull(commits, "commits");
    Objects.requireNonNull(policy, "policy");
  }

  public static AuditTrust none() {
    return new AuditTrust(CommitSignatureCheck.NOT_CONFIGURED, PolicyCheck.NOT_CONFIGURED, false);
  }

  /**
   * The checks of the trust root {@code repository} was opened with, or {@link #none()}. Under a trust root a
   * snapshot's policy already is the last version a policy admin signed, so the gate re-run by the audit judges by it;
   * the policy check names that version and every unsigned change it passed over.
   */
  public static AuditTrust of(GitOpsRepository repository) {
    return repository.trust().map(verifier -> new AuditTrust(commit -> {
      CommitSignature signature = verifier.verify(commit, Role.RELEASE_MANAGER);
      return signature.trusted() ? Check.passed(CommitSignatureCheck.NAME, signature.summary())
          : Check.failed(CommitSignatureCheck.NAME, signature.summary());
    }, snapshot -> {
      snapshot.config();
      List<String> ignored = snapshot.trustNotices();
      String signed = snapshot.signedPolicyFiles().stream().map(r -> r.path() + " as signed in commit "
          + (r.signedCommit() == null ? "(none)" : r.signedCommit().substring(0, 12)) + " by "
          + r.signature().signer()).collect(Collectors.joining("; "));
      String detail = "judged by the policy a policy admin signed last: " + signed;
      return ignored.isEmpty() ? Check.passed(PolicyCheck.NAME, detail)
          : new Check(PolicyCheck.NAME, Check.Status.PASSED, detail, ignored);
    }, true)).orElse(none());
  }
}
