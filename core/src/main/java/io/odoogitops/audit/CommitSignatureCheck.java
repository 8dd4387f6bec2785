package io.odoogitops.audit;

import org.eclipse.jgit.revwalk.RevCommit;

/**
 * Whether a promotion or rollback commit is signed by the release key: where a trust root plugs in. An implementation
 * answers {@code PASSED} (signed by a release key; name the signer in the detail), {@code FAILED} (unsigned, or a
 * signature that does not verify against the trust root) or {@code NOT_CHECKED}.
 */
@FunctionalInterface
public interface CommitSignatureCheck {

  String NAME = "release-signature";

  /** The answer for {@code commit}, fully parsed (its raw buffer and signature header are available). */
  Check check(RevCommit commit);

  /** Without a trust root nothing can say which key is the release key; whether a signature is there is still told. */
  CommitSignatureCheck NOT_CONFIGURED = commit -> Check.notChecked(NAME, "not checked: no trust root configured"
      + (commit.getRawGpgSignature() == null ? " (the commit carries no signature)"
          : " (the commit carries a signature nobody verified)"));
}
