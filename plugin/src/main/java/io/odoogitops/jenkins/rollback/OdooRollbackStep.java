package io.odoogitops.jenkins.rollback;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Extension;
import hudson.Util;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.odoogitops.gitops.PromotionResult;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.odoogitops.config.EnvironmentSpec;
import io.odoogitops.gitops.PromotionEngine;
import io.odoogitops.gitops.RestoreRequired;
import io.odoogitops.gitops.RollbackRequest;
import io.odoogitops.jenkins.gate.LandingPolicy;
import io.odoogitops.jenkins.repository.GitOpsAccess;
import io.odoogitops.jenkins.repository.GitOpsCallable;
import io.odoogitops.jenkins.repository.GitOpsStepExecution;
import io.odoogitops.jenkins.repository.PromotionResults;
import io.odoogitops.jenkins.repository.Session;
import io.odoogitops.jenkins.step.ApplicationStep;
import io.odoogitops.jenkins.step.BuildIdentity;
import io.odoogitops.jenkins.step.OdooStepDescriptor;
import io.odoogitops.jenkins.verify.ClusterAccess;
import io.odoogitops.restore.backup.RestorePlanner;
import java.io.IOException;
import java.io.Serial;
import java.time.Clock;
import java.util.Map;
import java.util.function.Supplier;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code odooRollback}: restores the digest an environment ran before (or an explicit earlier one) through the same
 * commit path as a promotion, with {@code Rollback-Of} trailers; the CLI's {@code odoo-gitops rollback}. Freezes
 * allow rollbacks by default, which is what the one-click emergency rollback job relies on; a window whose
 * {@code allow:} leaves rollback out refuses it, checked right before the push like a promotion. A release whose
 * dry-run said RESTORE_REQUIRED is refused with its restore plan in the log, unless {@code restoredDatabase} switches
 * to the database restored from its point, or {@code imageOnly} with a {@code justification} fixes forward; the core
 * checks both as it does the CLI's {@code --restored-database} and {@code --image-only --justification}.
 */
public class OdooRollbackStep extends ApplicationStep {

  private String to;
  private String reason;
  private String promotionId;
  private boolean imageOnly;
  private String justification;
  private String restoredDatabase;

  @DataBoundConstructor
  public OdooRollbackStep(String environment, String application) {
    super(environment, application);
  }

  public String getTo() {
    return to;
  }

  /** A digest or promotion id from the history; blank restores the digest before the current one. */
  @DataBoundSetter
  public void setTo(String to) {
    this.to = Util.fixEmptyAndTrim(to);
  }

  public String getReason() {
    return reason;
  }

  @DataBoundSetter
  public void setReason(String reason) {
    this.reason = Util.fixEmptyAndTrim(reason);
  }

  public String getPromotionId() {
    return promotionId;
  }

  @DataBoundSetter
  public void setPromotionId(String promotionId) {
    this.promotionId = Util.fixEmptyAndTrim(promotionId);
  }

  public boolean isImageOnly() {
    return imageOnly;
  }

  /** Roll back only the image of a RESTORE_REQUIRED release (fix forward); needs {@code justification}. */
  @DataBoundSetter
  public void setImageOnly(boolean imageOnly) {
    this.imageOnly = imageOnly;
  }

  public String getJustification() {
    return justification;
  }

  /** Why the image alone goes back; recorded in the commit. */
  @DataBoundSetter
  public void setJustification(String justification) {
    this.justification = Util.fixEmptyAndTrim(justification);
  }

  public String getRestoredDatabase() {
    return restoredDatabase;
  }

  /** The database restored from the release's restore point, switched to in the same commit as the old digest. */
  @DataBoundSetter
  public void setRestoredDatabase(String restoredDatabase) {
    this.restoredDatabase = Util.fixEmptyAndTrim(restoredDatabase);
  }

  @Override
  public StepExecution start(StepContext context) {
    return new Execution(context, this);
  }

  static final class Execution extends GitOpsStepExecution<OdooRollbackStep> {

    @Serial
    private static final long serialVersionUID = 1L;

    Execution(StepContext context, OdooRollbackStep step) {
      super(context, step);
    }

    @Override
    protected Map<String, Object> run() throws Exception {
      Run<?, ?> run = build();
      // No gate for rollbacks (the restored digest passed it once), but freeze windows that block rollbacks apply.
      LandingPolicy policy = LandingPolicy.of(run, step.environment, step.application, null);
      BuildIdentity who = BuildIdentity.of(run);
      ClusterAccess cluster = clusterForPlan(run);
      return land((access, listener) -> new RollbackCallable(access, listener, step, who, policy, cluster));
    }

    /** The plan is a courtesy of a refusal: a broken cluster setting must not block an emergency rollback. */
    private ClusterAccess clusterForPlan(Run<?, ?> run) throws IOException, InterruptedException {
      try {
        return ClusterAccess.of(run);
      } catch (AbortException e) {
        listener().getLogger().println("odooRollback: a restore plan, if one is needed, will not read the cluster: "
            + e.getMessage());
        return null;
      }
    }
  }

  /**
   * Runs on the agent (on the controller with the release key); carries the step's fields because the core's records
   * are not serializable. A restore-required refusal fails the step with the restore plan, made with the configured
   * cluster (a CloudNativePG point is read from it) or, where it cannot be, with the command that prints it.
   */
  static final class RollbackCallable extends GitOpsCallable<Map<String, Object>> {

    @Serial
    private static final long serialVersionUID = 1L;

    private final String environment;
    private final String application;
    private final String to;
    private final String reason;
    private final String promotionId;
    private final BuildIdentity who;
    private final LandingPolicy policy;
    private final boolean imageOnly;
    private final String justification;
    private final String restoredDatabase;
    private final ClusterAccess cluster;

    RollbackCallable(GitOpsAccess access, TaskListener listener, OdooRollbackStep step, BuildIdentity who,
        LandingPolicy policy, ClusterAccess cluster) {
      super(access, listener);
      this.environment = step.environment;
      this.application = step.application;
      this.to = step.to;
      this.reason = step.reason;
      this.promotionId = step.promotionId;
      this.who = who;
      this.policy = policy;
      this.imageOnly = step.imageOnly;
      this.justification = step.justification;
      this.restoredDatabase = step.restoredDatabase;
      this.cluster = cluster;
    }

    @Override
    protected Map<String, Object> work(Session session) {
      RollbackRequest request = RollbackRequest.builder(environment, application).to(to).reason(reason)
          .initiator(who.initiator()).buildUrl(who.buildUrl()).promotionId(promotionId)
          .imageOnly(imageOnly, justification).restoredDatabase(restoredDatabase).build();
      PromotionEngine engine = session.engine(policy.check());
      try {
        PromotionResult result = engine.rollback(request);
        // The hold it sets and the image automation it found or pinned: what the on-call must know next.
        session.log().accept("odoo-gitops: " + result.message());
        return PromotionResults.toMap(result);
      } catch (RestoreRequired refusal) {
        throw refusal.withPlan(restorePlan(refusal, engine.queries().config().environment(environment)));
      }
    }

    private String restorePlan(RestoreRequired refusal, EnvironmentSpec env) {
      try (PlanCluster client = new PlanCluster(cluster)) {
        return new RestorePlanner(Clock.systemUTC(), cluster == null ? null : client)
            .refusalText(refusal.point(), env, refusal.planCommand());
      }
    }
  }

  /**
   * The cluster of a restore plan, connected on first use only: a CloudNativePG point is read from it, a dump's plan
   * needs none. What fails here ends up in the plan's text, never instead of the refusal.
   */
  private static final class PlanCluster implements Supplier<KubernetesClient>, AutoCloseable {

    private final ClusterAccess.Clients clients;
    private KubernetesClient client;

    PlanCluster(ClusterAccess cluster) {
      this.clients = cluster == null ? null : cluster.clients();
    }

    @Override
    public KubernetesClient get() {
      if (client == null) {
        client = clients.get();
      }
      return client;
    }

    @Override
    public void close() {
      if (client != null) {
        client.close();
      }
      if (clients != null) {
        clients.close();
      }
    }
  }

  @Extension
  public static final class DescriptorImpl extends OdooStepDescriptor {

    public DescriptorImpl() {
      super("odooRollback");
    }

    @NonNull
    @Override
    public String getDisplayName() {
      return Messages.OdooRollbackStep_DisplayName();
    }
  }
}
