package io.odoogitops.trust;

import io.odoogitops.ReleaseException;
import java.util.Arrays;
import java.util.stream.Collectors;

/** What a key of the trust root may do. */
public enum Role {
  /** Signs promotion and rollback commits; only their commits count as promotions. */
  RELEASE_MANAGER("release-manager"),
  /** Signs changes of {@code odoo-gitops.yaml}; only their changes take effect. */
  POLICY_ADMIN("policy-admin");

  private final String marker;

  Role(String marker) {
    this.marker = marker;
  }

  /** The name used in the trust root file ({@code #@role release-manager}). */
  public String marker() {
    return marker;
  }

  static Role parse(String text, String where) {
    for (Role role : values()) {
      if (role.marker.equals(text)) {
        return role;
      }
    }
    throw ReleaseException.badInput(where + ": unknown role '" + text + "'; roles are "
        + Arrays.stream(values()).map(Role::marker).collect(Collectors.joining(", ")));
  }
}
