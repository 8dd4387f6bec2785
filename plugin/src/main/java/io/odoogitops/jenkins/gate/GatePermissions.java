package io.odoogitops.jenkins.gate;

import hudson.init.InitMilestone;
import hudson.init.Initializer;
import hudson.model.Item;
import hudson.security.Permission;
import hudson.security.PermissionGroup;
import hudson.security.PermissionScope;
import jenkins.model.Jenkins;

/**
 * The plugin's own permission. Voting needs both this (Jenkins decides who may act on the job) and a place in the
 * release policy's {@code approvers} (the GitOps repository decides who may release): neither side alone can
 * widen the circle.
 */
public final class GatePermissions {

  public static final PermissionGroup GROUP = new PermissionGroup(GatePermissions.class,
      Messages._GatePermissions_Group());

  /**
   * Vote at the release gate of the builds of a job. Implied by Administer, as every permission is under matrix
   * authorization; the policy's approvers still decide whose vote counts.
   */
  public static final Permission APPROVE = new Permission(GROUP, "Approve", Messages._GatePermissions_Approve(),
      Jenkins.ADMINISTER, PermissionScope.ITEM);

  private GatePermissions() {}

  /** Loads the class early, so the permission exists before authorization strategies read their configuration. */
  @Initializer(before = InitMilestone.SYSTEM_CONFIG_LOADED)
  public static void register() {
    Item.PERMISSIONS.getId(); // both groups must exist in this order for matrix-auth's tables
    APPROVE.getId();
  }
}
