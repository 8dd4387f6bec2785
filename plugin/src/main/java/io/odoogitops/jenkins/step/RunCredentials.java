package io.odoogitops.jenkins.step;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.domains.URIRequirementBuilder;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.AbortException;
import hudson.model.Run;

/**
 * Looks credentials up by id for one build, as the credentials plugin intends: in the scope of the build's job
 * (folder credentials included), restricted by the URL's domain, and tracked so the credential's usage page lists
 * the build.
 */
public final class RunCredentials {

  private RunCredentials() {}

  /** The credential {@code id} of {@code type} usable by {@code run} for {@code url}; null when no id is set. */
  @CheckForNull
  public static <C extends StandardCredentials> C find(Run<?, ?> run, @CheckForNull String id, Class<C> type,
      @CheckForNull String url, String purpose) throws AbortException {
    if (id == null) {
      return null;
    }
    C credentials = CredentialsProvider.findCredentialById(id, type, run,
        url == null ? java.util.List.of() : URIRequirementBuilder.fromUri(url).build());
    if (credentials == null) {
      throw new AbortException("bad_input: the " + purpose + " credentials '" + id + "' do not exist, are not a "
          + type.getSimpleName() + ", or are not visible to " + run.getParent().getFullName()
          + "; check Manage Jenkins > Credentials");
    }
    return CredentialsProvider.track(run, credentials);
  }
}
