package io.odoogitops.policy;

import io.odoogitops.config.ReleaseConfig;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Groups as listed under {@code groups:} in {@code odoo-gitops.yaml}; user ids compare case-insensitively. */
public final class ConfigGroupDirectory implements GroupDirectory {

  private final Map<String, Set<String>> groupsByUser;

  public ConfigGroupDirectory(Map<String, List<String>> members) {
    Map<String, Set<String>> byUser = new HashMap<>();
    members.forEach((group, users) -> users.forEach(
        user -> byUser.computeIfAbsent(UserIds.normalize(user), u -> new HashSet<>()).add(group)));
    byUser.replaceAll((user, groups) -> Set.copyOf(groups));
    this.groupsByUser = Map.copyOf(byUser);
  }

  public static ConfigGroupDirectory of(ReleaseConfig config) {
    return new ConfigGroupDirectory(config.groups());
  }

  @Override
  public Set<String> groupsOf(String user) {
    return groupsByUser.getOrDefault(UserIds.normalize(user), Set.of());
  }
}
