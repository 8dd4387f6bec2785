package io.odoogitops.policy;

import java.util.List;

/**
 * Who may vote, as written in {@code approvers:}: {@code user:alice}, {@code group:release-managers}, or a bare user
 * id. An empty list lets anyone vote (a gate that only counts approvals).
 */
final class Approvers {

  private static final String USER = "user:";
  private static final String GROUP = "group:";

  private final List<String> refs;
  private final GroupDirectory directory;

  Approvers(List<String> refs, GroupDirectory directory) {
    this.refs = List.copyOf(refs);
    this.directory = directory;
  }

  boolean includes(String user) {
    if (refs.isEmpty()) {
      return true;
    }
    for (String ref : refs) {
      if (ref.startsWith(GROUP)) {
        String group = ref.substring(GROUP.length());
        if (directory.groupsOf(user).contains(group)) {
          return true;
        }
      } else if (UserIds.same(ref.startsWith(USER) ? ref.substring(USER.length()) : ref, user)) {
        return true;
      }
    }
    return false;
  }

  String describe() {
    return refs.isEmpty() ? "anyone" : String.join(", ", refs);
  }
}
