package io.odoogitops.jenkins.verify;

import io.odoogitops.cluster.ClusterConnection;
import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * How the agent reaches the Kubernetes API server: a bearer token from the credentials store with the configured
 * server URL (and CA), or, without a credential, the agent's own kubeconfig or service account, as the CLI does.
 * {@link #toString()} hides the token.
 *
 * @param server null for the agent's standard configuration
 * @param caCertificate PEM text; null trusts the JVM's CAs
 */
record ClusterAccess(String server, String token, String caCertificate) implements Serializable {

  @Serial
  private static final long serialVersionUID = 1L;

  /** The core's connection; the CA, if any, is written to {@code scratch} for the client to read. */
  ClusterConnection connection(Path scratch) throws IOException {
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
