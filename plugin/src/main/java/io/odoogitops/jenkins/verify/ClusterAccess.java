package io.odoogitops.jenkins.verify;

import hudson.AbortException;
import hudson.model.Run;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.odoogitops.ReleaseException;
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
import java.util.function.Supplier;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;

/**
 * How the agent reaches the Kubernetes API server: a bearer token from the credentials store with the configured
 * server URL (and CA), or, without a credential, the agent's own kubeconfig or service account, as the CLI does.
 * {@link #toString()} hides the token. Used by odooVerify, by odooRollback's restore plan and by odooFleetPromote's
 * verifications.
 *
 * @param server null for the agent's standard configuration
 * @param caCertificate PEM text; null trusts the JVM's CAs
 */
public record ClusterAccess(String server, String token, String caCertificate) implements Serializable {

  @Serial
  private static final long serialVersionUID = 1L;

  /** The global configuration's cluster, with the token resolved in the context of {@code run}; on the controller. */
  public static ClusterAccess of(Run<?, ?> run) throws AbortException {
    return of(run, null);
  }

  /**
   * The global configuration's cluster with a step's own token credential: {@code credentialsId} (secret text, looked
   * up for {@code run} like every credential) instead of the configuration's {@code kubernetesCredentialsId}; the API
   * server URL and CA stay the configuration's. Null: the configuration's credential, as {@link #of(Run)}.
   */
  public static ClusterAccess of(Run<?, ?> run, String credentialsId) throws AbortException {
    OdooGitOpsConfiguration config = OdooGitOpsConfiguration.get();
    StringCredentials token = RunCredentials.find(run, credentialsId != null ? credentialsId
        : config.getKubernetesCredentialsId(), StringCredentials.class, config.getKubernetesServerUrl(), "Kubernetes");
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

  /** Clients of this access on the agent, as many as asked; see {@link Clients}. */
  public Clients clients() {
    return new Clients(this);
  }

  /**
   * Opens clients of one {@link ClusterAccess} on an agent, from several threads (a fleet verifies up to a wave's
   * {@code maxParallel} tenants at once): the CA, when configured, is written once, on first use, to a private scratch
   * directory that {@link #close()} removes; without one nothing is written. Each client is the caller's to close.
   */
  public static final class Clients implements Supplier<KubernetesClient>, AutoCloseable {

    private final ClusterAccess access;
    private Path scratch;
    private ClusterConnection connection;

    private Clients(ClusterAccess access) {
      this.access = access;
    }

    @Override
    public synchronized KubernetesClient get() {
      try {
        if (connection == null) {
          // only a configured CA is written; the agent's own configuration needs no scratch directory
          if (access.server() != null && access.caCertificate() != null) {
            scratch = Files.createTempDirectory("odoo-gitops-cluster-");
          }
          connection = access.connection(scratch);
        }
        return connection.open();
      } catch (KubernetesClientException e) {
        // only client construction gets here: a broken kubeconfig or CA
        throw ReleaseException.badInput("cannot connect to the Kubernetes API with " + access + ": "
            + e.getClass().getSimpleName());
      } catch (IOException e) {
        throw ReleaseException.infrastructure("cannot write the cluster CA certificate on this agent: "
            + e.getMessage(), e);
      }
    }

    @Override
    public synchronized void close() {
      if (scratch != null) {
        scratch.resolve("ca.pem").toFile().delete();
        scratch.toFile().delete();
        scratch = null;
      }
    }
  }

  @Override
  public String toString() {
    return "ClusterAccess[" + (server == null ? "agent kubeconfig" : server + ", token ****") + "]";
  }
}
