package io.odoogitops.policy;

import java.util.Set;

/**
 * Who belongs to which approver group. The CLI answers from {@code groups:} in {@code odoo-gitops.yaml}; a Jenkins
 * front end can answer from its security realm.
 */
public interface GroupDirectory {

  /** The groups {@code user} belongs to; empty for an unknown user. */
  Set<String> groupsOf(String user);
}
