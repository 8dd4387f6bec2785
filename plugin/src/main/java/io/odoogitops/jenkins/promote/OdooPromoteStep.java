package io.odoogitops.jenkins.promote;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.EnvVars;
import hudson.Extension;
import hudson.Util;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import io.odoogitops.ImageRef;
import io.odoogitops.ReleaseException;
import io.odoogitops.gitops.Promotion;
import io.odoogitops.jenkins.gate.LandingPolicy;
import io.odoogitops.jenkins.gate.RestoreEvidence;
import io.odoogitops.jenkins.repository.GitOpsAccess;
import io.odoogitops.jenkins.repository.GitOpsCallable;
import io.odoogitops.jenkins.repository.GitOpsStepExecution;
import io.odoogitops.jenkins.repository.PromotionResults;
import io.odoogitops.jenkins.repository.Session;
import io.odoogitops.jenkins.step.ApplicationStep;
import io.odoogitops.jenkins.step.BuildIdentity;
import io.odoogitops.jenkins.step.OdooStepDescriptor;
import io.odoogitops.jenkins.step.Refusals;
import java.io.Serial;
import java.util.Map;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;

/**
 * {@code odooPromote}: one commit in the GitOps repository pointing an environment at an image digest; the CLI's
 * {@code odoo-gitops promote}. The release policy is re-checked right before the push (see {@link LandingPolicy}) with
 * the votes of this build's approved {@code odooGate} of the same candidate, whose audit trailers (Approved-By,
 * Dry-Run, Freeze-Override) then go into the commit. Returns the promotion result as a map.
 */
public class OdooPromoteStep extends ApplicationStep {

  private final String image;
  private String promotionId;
  private String reason;
  private String sourceRevision;
  private String restorePoint;

  @DataBoundConstructor
  public OdooPromoteStep(String environment, String application, String image) {
    super(environment, application);
    this.image = Util.fixEmptyAndTrim(image);
  }

  public String getImage() {
    return image;
  }

  public String getPromotionId() {
    return promotionId;
  }

  /** Idempotency key: a retried build with the same id never lands twice. */
  @DataBoundSetter
  public void setPromotionId(String promotionId) {
    this.promotionId = Util.fixEmptyAndTrim(promotionId);
  }

  public String getReason() {
    return reason;
  }

  @DataBoundSetter
  public void setReason(String reason) {
    this.reason = Util.fixEmptyAndTrim(reason);
  }

  public String getSourceRevision() {
    return sourceRevision;
  }

  /** The module repository commit the image was built from; defaults to {@code GIT_COMMIT}. */
  @DataBoundSetter
  public void setSourceRevision(String sourceRevision) {
    this.sourceRevision = Util.fixEmptyAndTrim(sourceRevision);
  }

  public String getRestorePoint() {
    return restorePoint;
  }

  /**
   * The restore point's evidence file ({@code odoo-gitops restore-point take}), relative to the workspace, read on
   * the agent; recorded with the promotion when the gate accepts it. Without it, the approved odooGate's point.
   */
  @DataBoundSetter
  public void setRestorePoint(String restorePoint) {
    this.restorePoint = Util.fixEmptyAndTrim(restorePoint);
  }

  @Override
  public StepExecution start(StepContext context) {
    return new Execution(context, this);
  }

  static final class Execution extends GitOpsStepExecution<OdooPromoteStep> {

    @Serial
    private static final long serialVersionUID = 1L;

    Execution(StepContext context, OdooPromoteStep step) {
      super(context, step);
    }

    @Override
    protected Map<String, Object> run() throws Exception {
      Run<?, ?> run = build();
      ImageRef ref = Refusals.image(step.image);
      BuildIdentity who = BuildIdentity.of(run);
      String revision = step.sourceRevision != null ? step.sourceRevision : envVars().get("GIT_COMMIT");
      LandingPolicy policy = LandingPolicy.of(run, step.environment, step.application, ref.digest())
          .withRestorePoint(RestoreEvidence.readOnAgent(workspace(), step.restorePoint));
      return land((access, listener) -> new PromoteCallable(access, listener, step, ref.pinned(), who, revision,
          policy));
    }
  }

  /** Runs on the agent, or on the controller with the release key: builds the core's {@link Promotion} and promotes it. */
  private static final class PromoteCallable extends GitOpsCallable<Map<String, Object>> {

    @Serial
    private static final long serialVersionUID = 1L;

    private final String environment;
    private final String application;
    private final String image;
    private final String promotionId;
    private final String reason;
    private final BuildIdentity who;
    private final String sourceRevision;
    private final LandingPolicy policy;

    PromoteCallable(GitOpsAccess access, TaskListener listener, OdooPromoteStep step, String image,
        BuildIdentity who, String sourceRevision, LandingPolicy policy) {
      super(access, listener);
      this.environment = step.environment;
      this.application = step.application;
      this.image = image;
      this.promotionId = step.promotionId;
      this.reason = step.reason;
      this.who = who;
      this.sourceRevision = sourceRevision;
      this.policy = policy;
    }

    @Override
    protected Map<String, Object> work(Session session) {
      Promotion promotion = Promotion.builder(environment, application, ImageRef.parse(image))
          .promotionId(promotionId)
          .reason(reason)
          .initiator(who.initiator())
          .sourceRevision(sourceRevision)
          .buildUrl(who.buildUrl())
          .build();
      return PromotionResults.toMap(session.engine(policy.check()).promote(promotion));
    }
  }

  @Extension
  public static final class DescriptorImpl extends OdooStepDescriptor {

    public DescriptorImpl() {
      super("odooPromote", EnvVars.class);
    }

    @NonNull
    @Override
    public String getDisplayName() {
      return Messages.OdooPromoteStep_DisplayName();
    }

    public FormValidation doCheckImage(@QueryParameter String value) {
      if (Util.fixEmptyAndTrim(value) == null || value.contains("${")) {
        return FormValidation.ok(); // usually an expression such as "${img.image}"
      }
      try {
        ImageRef.parse(value.strip());
        return FormValidation.ok();
      } catch (ReleaseException e) {
        return FormValidation.error(e.getMessage());
      }
    }
  }
}
