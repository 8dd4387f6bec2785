package io.odoogitops.cli;

import io.odoogitops.ImageDigest;
import io.odoogitops.ReleaseException;
import io.odoogitops.cluster.GitOpsRollback;
import io.odoogitops.cluster.ClusterTarget;
import io.odoogitops.cluster.LaterRevisions;
import io.odoogitops.cluster.VerificationReport;
import io.odoogitops.cluster.VerificationRequest;
import io.odoogitops.config.EnvironmentSpec;
import io.odoogitops.gitops.GitOpsRepository;
import io.odoogitops.gitops.PromotionEngine;
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

  @Option(names = "--digest", paramLabel = "sha256:...", converter = ImageConverters.Digest.class,
      description = "The image digest the workload must run (default: what the environment names at --commit).")
  ImageDigest digest;

  @Option(names = {"-n", "--namespace"}, paramLabel = "NS",
      description = "Namespace of the workload (default: the environment's cluster block).")
  String namespace;

  @Option(names = "--workload", paramLabel = "KIND/NAME",
      description = "The workload running Odoo: deployment/NAME or statefulset/NAME (default: the cluster block).")
  String workload;

  @Option(names = "--container", paramLabel = "NAME",
      description = "The container that must run the digest (default: any container of the pod template).")
  String container;

  @ArgGroup(exclusive = true, multiplicity = "0..1")
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

  @Option(names = "--timeout", paramLabel = "DURATION",
      description = "How long to wait, ISO-8601 (default: the cluster block's, else PT10M).")
  Duration timeout;

  @Option(names = "--poll-interval", paramLabel = "DURATION",
      description = "How often to look, ISO-8601 (default: the cluster block's, else PT5S).")
  Duration pollInterval;

  @Option(names = "--auto-rollback",
      description = "Roll back in one step if verification fails (needs --repo; default: the cluster block's).")
  Boolean autoRollback;

  @Mixin
  PolicyConfigOption config;

  @Mixin
  ClusterConnectionOptions connection;

  @Override
  public Integer call() {
    boolean fromFlags = namespace != null || workload != null || controller != null;
    EnvironmentSpec env = fromFlags && digest != null && !Boolean.TRUE.equals(autoRollback) ? null
        : config.load().environment(environment);
    ClusterTarget.Builder target = fromFlags ? ClusterTarget.builder() : ClusterTarget.from(ClusterCheck.clusterOf(env));
    if (namespace != null) {
      target.namespace(namespace);
    }
    if (workload != null) {
      target.workload(workload);
    }
    if (container != null) {
      target.container(container);
    }
    if (controller != null && controller.argo != null) {
      target.argoApplication(controller.argo.name, controller.argo.namespace);
    } else if (controller != null) {
      target.fluxKustomization(controller.flux.name, controller.flux.namespace);
    }
    if (timeout != null) {
      target.timeout(timeout);
    }
    if (pollInterval != null) {
      target.pollInterval(pollInterval);
    }
    boolean rollback = autoRollback != null ? autoRollback : env != null && env.cluster() != null
        && env.cluster().autoRollback();
    // Validate everything before touching the cluster or the repository.
    ClusterTarget where = target.build();
    if ((digest == null || rollback) && !config.repository.configured()) {
      throw ReleaseException.badInput((digest == null ? "without --digest" : "--auto-rollback")
          + " needs the GitOps repository: pass --repo or set ODOO_GITOPS_REPO");
    }
    try (GitOpsRepository repo = config.repository.configured() ? config.repository.open() : null) {
      PromotionEngine engine = repo == null ? null : PromotionEngine.builder(repo).build();
      ImageDigest expected = digest != null ? digest
          : engine.queries().deployedAt(commit, environment, application).digest();
      if (expected == null) {
        throw ReleaseException.badInput("the manifests of " + environment + " at commit " + commit + " name no"
            + " digest for " + application + "; pass --digest sha256:<64 hex> to say which image must run");
      }
      VerificationRequest what = new VerificationRequest(environment, application, commit, expected, rollback);
      VerificationReport report = ClusterCheck.run(connection, where, what,
          rollback ? new GitOpsRollback(engine, "odoo-gitops verify") : null,
          engine == null ? LaterRevisions.NONE : LaterRevisions.of(engine.queries()), spec.commandLine().getErr());
      output.print(spec.commandLine().getOut(), report, report.humanText());
      return report.verified() ? 0 : Main.REFUSED;
    }
  }
}
