package io.odoogitops.cli;

import io.odoogitops.InputFiles;
import io.odoogitops.ReleaseException;
import io.odoogitops.cluster.ClusterConnection;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** How to reach the Kubernetes API server; shared by every command that talks to the cluster. */
/** How to reach the API server; shared by every command that talks to the cluster. */
public final class ClusterConnectionOptions {

  @Option(names = "--kubeconfig", paramLabel = "FILE",
      description = "Kubeconfig file (default: KUBECONFIG, ~/.kube/config, then in-cluster).")
  Path kubeconfig;

  @Option(names = "--context", paramLabel = "NAME", description = "Kubeconfig context (default: current).")
  String context;

  @Option(names = "--in-cluster", description = "Use the pod's service account.")
  boolean inCluster;

  @Option(names = "--server", paramLabel = "URL",
      description = "API server URL, with a token from --token-file or --token-env.")
  String server;

  @Option(names = "--token-file", paramLabel = "FILE", description = "File holding the bearer token.")
  Path tokenFile;

  @Option(names = "--token-env", paramLabel = "VAR", defaultValue = "KUBE_TOKEN",
      description = "Environment variable holding the bearer token (default: ${DEFAULT-VALUE}).")
  String tokenVariable;

  @Option(names = "--ca-file", paramLabel = "FILE", description = "PEM CA certificate of the API server.")
  Path caFile;

  ClusterConnection connection() {
    int ways = (kubeconfig != null ? 1 : 0) + (inCluster ? 1 : 0) + (server != null ? 1 : 0);
    if (ways > 1) {
      throw ReleaseException.badInput("choose one of --kubeconfig, --in-cluster and --server");
    }
    if (server != null) {
      String token = new SecretOptions().read("cluster token", tokenFile, tokenVariable)
          .orElseThrow(() -> ReleaseException.badInput("--server needs a token: put it in a file named by "
              + "--token-file or in the environment variable " + tokenVariable));
      if (caFile != null) {
        // fabric8 reads the CA file itself; refuse a FIFO or a huge file before it does.
        InputFiles.requireRegularFile(caFile, "CA certificate file", InputFiles.DOCUMENT_LIMIT);
      }
      return ClusterConnection.token(server, token, caFile);
    }
    if (inCluster) {
      return ClusterConnection.inCluster();
    }
    if (kubeconfig != null) {
      return ClusterConnection.kubeconfig(kubeconfig, context);
    }
    if (context != null) {
      throw ReleaseException.badInput("--context needs --kubeconfig");
    }
    return ClusterConnection.standard();
  }
}
