package io.odoogitops.jenkins.signing;

import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import hudson.AbortException;
import hudson.security.ACL;
import java.util.List;
import jenkins.model.Jenkins;

/**
 * Looks up the controller's own keys (the vote-signing key, the release key). They must be credentials of
 * {@link CredentialsScope#SYSTEM} scope: those are visible to the controller only, never to jobs, so no Jenkinsfile can
 * bind them with {@code withCredentials} or hand them to an agent. A key of global scope is refused, not used.
 */
public final class SystemCredentials {

  private SystemCredentials() {}

  public static <C extends StandardCredentials> C find(String id, Class<C> type, String purpose)
      throws AbortException {
    List<C> all = CredentialsProvider.lookupCredentialsInItemGroup(type, Jenkins.get(), ACL.SYSTEM2, List.of());
    C found = CredentialsMatchers.firstOrNull(all, CredentialsMatchers.withId(id));
    if (found == null) {
      throw new AbortException("bad_input: the " + purpose + " credential '" + id + "' does not exist in the"
          + " controller's credentials (Manage Jenkins > Credentials > System) or is not a " + type.getSimpleName());
    }
    if (found.getScope() != CredentialsScope.SYSTEM) {
      throw new AbortException("bad_input: the " + purpose + " credential '" + id + "' has scope " + found.getScope()
          + "; give it scope System (Jenkins and nodes only), so that no job can bind it with withCredentials");
    }
    return found;
  }
}
