package io.odoogitops.jenkins.verify;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Extension;
import hudson.Util;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.odoogitops.ImageDigest;
import io.odoogitops.ReleaseException;
import io.odoogitops.cluster.ClusterTarget;
import io.odoogitops.cluster.ClusterVerifier;
import io.odoogitops.cluster.LaterRevisions;
import io.odoogitops.cluster.GitOpsRollback;
import io.odoogitops.cluster.RollbackAttempt;
import io.odoogitops.cluster.VerificationReport;
import io.odoogitops.cluster.VerificationRequest;
import io.odoogitops.config.EnvironmentSpec;
import io.odoogitops.gitops.PromotionEngine;
import io.odoogitops.jenkins.repository.GitOpsAccess;
import io.odoogitops.jenkins.repository.GitOpsCallable;
import io.odoogitops.jenkins.repository.GitOpsStepExecution;
import io.odoogitops.jenkins.repository.Session;
import io.odoogitops.jenkins.step.ApplicationStep;
import io.odoogitops.jenkins.step.BuildIdentity;
import io.odoogitops.jenkins.step.OdooStepDescriptor;
import io.odoogitops.jenkins.step.Refusals;
import java.io.Serial;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code odooVerify}: follows a promotion commit into the cluster and waits until Argo CD or Flux applied it and the
 * workload runs the digest; the CLI's {@code odoo-gitops verify}. The target is the environment's {@code cluster:}
 * block of {@code odoo-gitops.yaml}; with its {@code autoRollback}, a failed release is rolled back through the GitOps
 * repository. Returns the report as a map; a release that failed in the cluster fails the step.
 */
public class OdooVerifyStep extends ApplicationStep {

  private final String commit;
  private String digest;
  private Boolean autoRollback;
  private int timeoutMinutes;

  @DataBoundConstructor
  public OdooVerifyStep(String environment, String application, String commit) {
    super(environment, application);
    this.commit = Util.fixEmptyAndTrim(commit);
  }

  public String getCommit() {
    return commit;
  }

  public String getDigest() {
    return digest;
  }

  /** The digest the workload must run; default: the one the commit put in the environment's manifest. */
  @DataBoundSetter
  public void setDigest(String digest) {
    this.digest = Util.fixEmptyAndTrim(digest);
  }

  public Boolean getAutoRollback() {
    return autoRollback;
  }

  /** Overrides the {@code cluster.autoRollback} of the policy. */
  @DataBoundSetter
  public void setAutoRollback(Boolean autoRollback) {
    this.autoRollback = autoRollback;
  }

  public int getTimeoutMinutes() {
    return timeoutMinutes;
  }

  /** Overrides the {@code cluster.timeout} of the policy (default 10 minutes). */
  @DataBoundSetter
  public void setTimeoutMinutes(int timeoutMinutes) {
    this.timeoutMinutes = Math.max(0, timeoutMinutes);
  }

  @Override
  public StepExecution start(StepContext context) {
    return new Execution(context, this);
  }

  static final class Execution extends GitOpsStepExecution<OdooVerifyStep> {

    @Serial
    private static final long serialVersionUID = 1L;

    Execution(StepContext context, OdooVerifyStep step) {
      super(context, step);
    }

    @Override
    protected Map<String, Object> run() throws Exception {
      Run<?, ?> run = build();
      ClusterAccess cluster = ClusterAccess.of(run);
      String initiator = BuildIdentity.of(run).initiator();
      // Parsed here, where a mistyped digest becomes the step's usual refusal rather than an exception.
      ImageDigest digest = step.digest == null ? null : Refusals.check(() -> ImageDigest.parse(step.digest, "digest"));
      Map<String, Object> report = onAgent((access, listener) -> new VerifyCallable(access, listener, step, digest,
          cluster, initiator));
      if (!Boolean.TRUE.equals(report.get("verified"))) {
        throw new AbortException("refused: " + step.environment + "/" + step.application + " is not running "
            + report.get("digest") + ": " + report.get("outcome") + " (" + report.get("detail") + ")"
            + (report.get("rollback") == null ? "" : "; " + report.get("rollback")));
      }
      return report;
    }

  }

  /** Runs on the agent: target from the policy at the branch head, then the core's {@link ClusterVerifier}. */
  static final class VerifyCallable extends GitOpsCallable<Map<String, Object>> {

    @Serial
    private static final long serialVersionUID = 1L;

    private final String environment;
    private final String application;
    private final String commit;
    private final ImageDigest digest;
    private final Boolean autoRollback;
    private final int timeoutMinutes;
    private final ClusterAccess cluster;
    private final String initiator;

    VerifyCallable(GitOpsAccess access, TaskListener listener, OdooVerifyStep step, ImageDigest digest,
        ClusterAccess cluster, String initiator) {
      super(access, listener);
      this.environment = step.environment;
      this.application = step.application;
      this.commit = step.commit;
      this.digest = digest;
      this.autoRollback = step.autoRollback;
      this.timeoutMinutes = step.timeoutMinutes;
      this.cluster = cluster;
      this.initiator = initiator;
    }

    @Override
    protected Map<String, Object> work(Session session) {
      EnvironmentSpec env = session.fetchHead(environment).config().environment(environment);
      if (env.cluster() == null) {
        throw ReleaseException.badInput("environment '" + environment + "' has no 'cluster:' block in"
            + " odoo-gitops.yaml; add one (namespace, workload, argo or flux; see docs/cluster.md)");
      }
      ClusterTarget.Builder target = ClusterTarget.from(env.cluster());
      if (timeoutMinutes > 0) {
        target.timeout(Duration.ofMinutes(timeoutMinutes));
      }
      boolean rollback = autoRollback != null ? autoRollback : env.cluster().autoRollback();
      PromotionEngine engine = session.engine();
      ImageDigest expected = digest != null ? digest
          : engine.queries().deployedAt(commit, environment, application).digest();
      if (expected == null) {
        throw io.odoogitops.ReleaseException.badInput("the manifests of " + environment + " at commit " + commit
            + " name no digest for " + application + "; pass digest: 'sha256:<64 hex>' to say which image must run");
      }
      VerificationRequest request = new VerificationRequest(environment, application, commit, expected, rollback);
      VerificationReport report = verify(session, target.build(), request,
          rollback ? new GitOpsRollback(engine, initiator) : null);
      session.log().accept(report.humanText());
      return describe(report);
    }

    private VerificationReport verify(Session session, ClusterTarget target, VerificationRequest request,
        GitOpsRollback rollback) {
      try (ClusterAccess.Clients clients = cluster.clients(); KubernetesClient client = clients.get()) {
        return new ClusterVerifier(client, message -> session.log().accept(message), rollback,
            LaterRevisions.of(session.engine().queries())).verify(target, request);
      }
    }
  }

  /** The Pipeline's view of a {@link VerificationReport}. */
  static Map<String, Object> describe(VerificationReport report) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("verified", report.verified());
    map.put("superseded", report.superseded());
    map.put("outcome", report.outcome().name());
    map.put("detail", report.detail());
    map.put("environment", report.environment());
    map.put("application", report.application());
    map.put("commit", report.commit());
    map.put("digest", ImageDigest.text(report.digest()));
    map.put("durationSeconds", report.duration() == null ? null : report.duration().toSeconds());
    RollbackAttempt rollback = report.rollback();
    map.put("rollbackCommit", rollback == null ? null : rollback.commit());
    map.put("rollback", rollback == null ? null : rollback.landed() ? "rolled back in " + rollback.commit()
        : "automatic rollback failed: " + rollback.error());
    return map;
  }

  @Extension
  public static final class DescriptorImpl extends OdooStepDescriptor {

    public DescriptorImpl() {
      super("odooVerify");
    }

    @NonNull
    @Override
    public String getDisplayName() {
      return Messages.OdooVerifyStep_DisplayName();
    }
  }
}
