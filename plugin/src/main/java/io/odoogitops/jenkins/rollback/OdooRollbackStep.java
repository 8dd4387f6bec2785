package io.odoogitops.jenkins.rollback;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.Util;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.odoogitops.gitops.PromotionResult;
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
import java.io.Serial;
import java.util.Map;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code odooRollback}: restores the digest an environment ran before (or an explicit earlier one) through the same
 * commit path as a promotion, with {@code Rollback-Of} trailers; the CLI's {@code odoo-gitops rollback}. Freezes
 * allow rollbacks by default, which is what the one-click emergency rollback job relies on; a window whose
 * {@code allow:} leaves rollback out refuses it, checked right before the push like a promotion.
 */
public class OdooRollbackStep extends ApplicationStep {

  private String to;
  private String reason;
  private String promotionId;

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
      return land((access, listener) -> new RollbackCallable(access, listener, step, who, policy));
    }
  }

  /** Runs on the agent (on the controller with the release key); carries the step's fields because the core's records are not serializable. */
  private static final class RollbackCallable extends GitOpsCallable<Map<String, Object>> {

    @Serial
    private static final long serialVersionUID = 1L;

    private final String environment;
    private final String application;
    private final String to;
    private final String reason;
    private final String promotionId;
    private final BuildIdentity who;
    private final LandingPolicy policy;

    RollbackCallable(GitOpsAccess access, TaskListener listener, OdooRollbackStep step, BuildIdentity who,
        LandingPolicy policy) {
      super(access, listener);
      this.environment = step.environment;
      this.application = step.application;
      this.to = step.to;
      this.reason = step.reason;
      this.promotionId = step.promotionId;
      this.who = who;
      this.policy = policy;
    }

    @Override
    protected Map<String, Object> work(Session session) {
      RollbackRequest request = new RollbackRequest(environment, application, to, reason, who.initiator(),
          who.buildUrl(), promotionId);
      PromotionResult result = session.engine(policy.check()).rollback(request);
      // The hold it sets and the image automation it found or pinned: what the on-call must know next.
      session.log().accept("odoo-gitops: " + result.message());
      return PromotionResults.toMap(result);
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
