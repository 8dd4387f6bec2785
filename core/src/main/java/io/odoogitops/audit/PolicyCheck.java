package io.odoogitops.audit;

import io.odoogitops.gitops.Snapshot;

/**
 * Whether the policy a promotion was judged by ({@code odoo-gitops.yaml} and its allowed signers at the commit the
 * promotion was built on) is the policy in force: with a trust root, the last version whose commit a policy admin
 * signed. An implementation answers {@code PASSED} (name the signed policy commit), {@code FAILED} (an unsigned policy
 * change was in effect; say which commit) or {@code NOT_CHECKED}.
 */
@FunctionalInterface
public interface PolicyCheck {

  String NAME = "policy";

  Check check(Snapshot decidedOn);

  /** Without a trust root the policy file at the commit is taken as written, by whoever wrote it. */
  PolicyCheck NOT_CONFIGURED = snapshot -> Check.notChecked(NAME, "not checked: no trust root configured; judged"
      + " by odoo-gitops.yaml as committed at " + snapshot.commitId().substring(0, 12)
      + ", whoever changed it last");
}
