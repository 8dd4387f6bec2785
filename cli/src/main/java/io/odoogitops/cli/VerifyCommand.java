package io.odoogitops.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.odoogitops.ReleaseException;
import io.odoogitops.cluster.ClusterConnection;
import io.odoogitops.cluster.ClusterTarget;
import io.odoogitops.cluster.ClusterVerifier;
import io.odoogitops.cluster.VerificationReport;
import io.odoogitops.cluster.VerificationRequest;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code odoo-gitops verify}: follows a promotion commit into the cluster and waits until the GitOps controller
 * applied it and the workload runs the digest. Exit 0 when verified, 1 when the release failed in the cluster
 * (Degraded, stuck rollout, wrong image, timeout), 2 for bad flags or a cluster that contradicts them (401/403,
 * missing CRD or objects), 3 when the API server cannot be reached.
 */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
        "Wait until a promotion commit is applied by Argo CD or Flux and the workload runs the image digest.",
        "Progress goes to stderr; the report (text or JSON) to stdout."})
public final class VerifyCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  OutputOptions output;

  @Option(names = "--env", required = true, paramLabel = "ENV", description = "Environment, e.g. production.")
  String environment;

  @Option(names = "--app", required = true, paramLabel = "APP", description = "Application, e.g. shop.")
  String application;

  @Option(names = "--commit", required = true, paramLabel = "SHA",
      description = "The promotion commit of the GitOps repository (at least 7 hex digits).")
  String commit;

  @Option(names = "--digest", required = true, paramLabel = "sha256:...",
      description = "The image digest the workload must run.")
  String digest;

  @Option(names = {"-n", "--namespace"}, required = true, paramLabel = "NS",
      description = "Namespace of the workload.")
  String namespace;

  @Option(names = "--workload", required = true, paramLabel = "KIND/NAME",
      description = "The workload running Odoo: deployment/NAME or statefulset/NAME.")
  String workload;

  @Option(names = "--container", paramLabel = "NAME",
      description = "The container that must run the digest (default: any container of the pod template).")
  String container;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Controller controller;

  /** Exactly one GitOps controller object. */
  static final class Controller {
    @ArgGroup(exclusive = false)
    Argo argo;

    @ArgGroup(exclusive = false)
    Flux flux;
  }

  static final class Argo {
    @Option(names = "--argo-application", required = true, paramLabel = "NAME",
        description = "Argo CD Application that deploys the environment.")
    String name;

    @Option(names = "--argo-namespace", paramLabel = "NS", defaultValue = "argocd",
        description = "Namespace of the Application (default: ${DEFAULT-VALUE}).")
    String namespace;
  }

  static final class Flux {
    @Option(names = "--flux-kustomization", required = true, paramLabel = "NAME",
        description = "Flux Kustomization that deploys the environment.")
    String name;

    @Option(names = "--flux-namespace", paramLabel = "NS", defaultValue = "flux-system",
        description = "Namespace of the Kustomization (default: ${DEFAULT-VALUE}).")
    String namespace;
  }

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "PT10M",
      description = "How long to wait, ISO-8601 (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(names = "--poll-interval", paramLabel = "DURATION", defaultValue = "PT5S",
      description = "How often to look, ISO-8601 (default: ${DEFAULT-VALUE}).")
  Duration pollInterval;

  @Mixin
  ClusterConnectionOptions connection;

  @Override
  public Integer call() {
    ClusterTarget.Builder target = ClusterTarget.builder().namespace(namespace).workload(workload)
        .container(container).timeout(timeout).pollInterval(pollInterval);
    if (controller.argo != null) {
      target.argoApplication(controller.argo.name, controller.argo.namespace);
    } else {
      target.fluxKustomization(controller.flux.name, controller.flux.namespace);
    }
    // Validate everything before touching the cluster.
    ClusterTarget where = target.build();
    VerificationRequest what = new VerificationRequest(environment, application, commit, digest, false);

    PrintWriter err = spec.commandLine().getErr();
    try (KubernetesClient client = connection.connection().open()) {
      ClusterVerifier verifier = new ClusterVerifier(client, message -> {
        err.println(message);
        err.flush();
      }, null);
      VerificationReport report = verifier.verify(where, what);
      output.print(spec.commandLine().getOut(), report, report.humanText());
      return report.verified() ? 0 : Main.REFUSED;
    } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
      // Only client construction can get here (every API call is translated): a broken kubeconfig or certificate.
      throw ReleaseException.badInput("cannot connect with " + connection.connection() + ": "
          + e.getClass().getSimpleName());
    }
  }

  /** How to reach the API server; shared by every command that talks to the cluster. */
  public static final class ClusterConnectionOptions {

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
}
