package io.odoogitops.cli;

import io.odoogitops.InputFiles;
import io.odoogitops.ReleaseException;
import io.odoogitops.cluster.ClusterConnection;
import java.nio.file.Path;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * How to reach the Kubernetes API server; shared by every command that talks to the cluster. The three ways are
 * exclusive, which picocli checks while parsing (exit 2 before anything is read or contacted).
 */
public final class ClusterConnectionOptions {

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  Way way;

  /** One way at most; none means kubectl's: KUBECONFIG, ~/.kube/config, then in-cluster. */
  static final class Way {
    @ArgGroup(exclusive = false)
    Kubeconfig kubeconfig;

    @Option(names = "--in-cluster", required = true, description = "Use the pod's service account.")
    boolean inCluster;

    @ArgGroup(exclusive = false)
    Server server;
  }

  static final class Kubeconfig {
    @Option(names = "--kubeconfig", required = true, paramLabel = "FILE",
        description = "Kubeconfig file (default: KUBECONFIG, ~/.kube/config, then in-cluster).")
    Path file;

    @Option(names = "--context", paramLabel = "NAME", description = "Kubeconfig context (default: current).")
    String context;
  }

  static final class Server {
    @Option(names = "--server", required = true, paramLabel = "URL",
        description = "API server URL, with a token from --token-file or --token-env.")
    String url;

    @Option(names = "--ca-file", paramLabel = "FILE", description = "PEM CA certificate of the API server.")
    Path caFile;
  }

  @Mixin SecretOptions token = new SecretOptions("--token", "cluster bearer token", "KUBE_TOKEN");

  ClusterConnection connection() {
    if (way == null) {
      return ClusterConnection.standard();
    }
    if (way.server != null) {
      String bearer = token.value()
          .orElseThrow(() -> ReleaseException.badInput("--server needs a token: " + token.howToGive()));
      if (way.server.caFile != null) {
        // fabric8 reads the CA file itself; refuse a FIFO or a huge file before it does.
        InputFiles.requireRegularFile(way.server.caFile, "CA certificate file", InputFiles.DOCUMENT_LIMIT);
      }
      return ClusterConnection.token(way.server.url, bearer, way.server.caFile);
    }
    if (way.inCluster) {
      return ClusterConnection.inCluster();
    }
    return ClusterConnection.kubeconfig(way.kubeconfig.file, way.kubeconfig.context);
  }
}
