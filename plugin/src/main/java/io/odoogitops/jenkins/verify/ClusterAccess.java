package io.odoogitops.jenkins.verify;

import hudson.AbortException;
import hudson.model.Run;
import io.odoogitops.cluster.ClusterConnection;
import io.odoogitops.jenkins.config.OdooGitOpsConfiguration;
import io.odoogitops.jenkins.step.RunCredentials;
import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;

/**
 * How the agent reaches the Kubernetes API server: a bearer token from the credentials store with the configured
 * server URL (and CA), or, without a credential, the agent's own kubeconfig or service account, as the CLI does.
 * {@link #toString()} hides the token. Used by odooVerify and by odooRollback's restore plan.
 *
 * @param server null for the agent's standard configuration
 * @param caCertificate PEM text; null trusts the JVM's CAs
 */
public record ClusterAccess(String server, String token, String caCertificate) implements Serializable {

  @Serial
  private static final long serialVersionUID = 1L;

  /** The global configuration's cluster, with the token resolved in the context of {@code run}; on the controller. */
  public static ClusterAccess of(Run<?, ?> run) throws AbortException {
    OdooGitOpsConfiguration config = OdooGitOpsConfiguration.get();
    StringCredentials token = RunCredentials.find(run, config.getKubernetesCredentialsId(),
        StringCredentials.class, config.getKubernetesServerUrl(), "Kubernetes");
    if (token == null) {
      return new ClusterAccess(null, null, null);
    }
    if (config.getKubernetesServerUrl() == null) {
      throw new AbortException("bad_input: a Kubernetes token is configured without the API server URL; set"
          + " both in Manage Jenkins > System > Odoo GitOps");
    }
    return new ClusterAccess(config.getKubernetesServerUrl(), token.getSecret().getPlainText(),
        config.getKubernetesCaCertificate());
  }

  /** The core's connection; the CA, if any, is written to {@code scratch} for the client to read. */
  public ClusterConnection connection(Path scratch) throws IOException {
    if (server == null) {
      return ClusterConnection.standard();
    }
    Path ca = null;
    if (caCertificate != null) {
      ca = Files.writeString(Files.createFile(scratch.resolve("ca.pem"),
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))), caCertificate,
          StandardCharsets.UTF_8);
    }
    return ClusterConnection.token(server, token, ca);
  }

  @Override
  public String toString() {
    return "ClusterAccess[" + (server == null ? "agent kubeconfig" : server + ", token ****") + "]";
  }
}
