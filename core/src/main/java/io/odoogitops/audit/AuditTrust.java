package io.odoogitops.audit;

import java.util.Objects;

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
}
