package io.odoogitops.jenkins.gate;

import io.odoogitops.config.ReleaseConfig;
import io.odoogitops.policy.ConfigGroupDirectory;
import io.odoogitops.policy.GroupDirectory;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Group membership as the gate sees it: the {@code groups:} of {@code odoo-gitops.yaml} (as the CLI reads them) plus
 * the security realm's groups each voter had when voting, already matched to the policy's group names with the
 * realm's group id strategy.
 */
final class VoterGroups implements GroupDirectory {

  private final GroupDirectory policyGroups;
  private final Map<String, Set<String>> realmGroups;

  VoterGroups(ReleaseConfig config, Map<String, Set<String>> realmGroups) {
    this.policyGroups = ConfigGroupDirectory.of(config);
    this.realmGroups = realmGroups;
  }

  @Override
  public Set<String> groupsOf(String user) {
    Set<String> groups = new HashSet<>(policyGroups.groupsOf(user));
    groups.addAll(realmGroups.getOrDefault(user, Set.of()));
    return groups;
  }
}
