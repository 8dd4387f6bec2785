package io.odoogitops.jenkins.hold;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.Util;
import hudson.model.TaskListener;
import io.odoogitops.ImageDigest;
import io.odoogitops.gitops.HoldReleaseRequest;
import io.odoogitops.gitops.LandingCheck;
import io.odoogitops.gitops.PromotionResult;
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

/**
 * {@code odooHoldRelease}: lifts the hold a rollback set on a digest, on purpose; the CLI's {@code odoo-gitops hold
 * release}. The build's user is the initiator; with a release key the commit is signed on the controller.
 */
public class OdooHoldReleaseStep extends ApplicationStep {

  private final String digest;
  private final String reason;
  private String releaseId;

  @DataBoundConstructor
  public OdooHoldReleaseStep(String environment, String application, String digest, String reason) {
    super(environment, application);
    this.digest = Util.fixEmptyAndTrim(digest);
    this.reason = Util.fixEmptyAndTrim(reason);
  }

  public String getDigest() {
    return digest;
  }

  public String getReason() {
    return reason;
  }

  public String getReleaseId() {
    return releaseId;
  }

  @DataBoundSetter
  public void setReleaseId(String releaseId) {
    this.releaseId = Util.fixEmptyAndTrim(releaseId);
  }

  @Override
  public StepExecution start(StepContext context) {
    return new Execution(context, this);
  }

  static final class Execution extends GitOpsStepExecution<OdooHoldReleaseStep> {

    @Serial
    private static final long serialVersionUID = 1L;

    Execution(StepContext context, OdooHoldReleaseStep step) {
      super(context, step);
    }

    @Override
    protected Map<String, Object> run() throws Exception {
      // Parsed here, where a mistyped digest becomes the step's usual refusal rather than an exception.
      ImageDigest digest = Refusals.check(() -> ImageDigest.parse(step.digest, "digest"));
      BuildIdentity who = BuildIdentity.of(build());
      return land((access, listener) -> new ReleaseCallable(access, listener, step, digest, who));
    }
  }

  /** Runs where the landing says; carries the step's fields because the core's records are not serializable. */
  private static final class ReleaseCallable extends GitOpsCallable<Map<String, Object>> {

    @Serial
    private static final long serialVersionUID = 1L;

    private final String environment;
    private final String application;
    private final ImageDigest digest;
    private final String reason;
    private final String releaseId;
    private final BuildIdentity who;

    ReleaseCallable(GitOpsAccess access, TaskListener listener, OdooHoldReleaseStep step, ImageDigest digest,
        BuildIdentity who) {
      super(access, listener);
      this.environment = step.environment;
      this.application = step.application;
      this.digest = digest;
      this.reason = step.reason;
      this.releaseId = step.releaseId;
      this.who = who;
    }

    @Override
    protected Map<String, Object> work(Session session) {
      PromotionResult result = session.engine(LandingCheck.NONE).releaseHold(new HoldReleaseRequest(environment,
          application, digest, reason, who.initiator(), false, who.buildUrl(), releaseId));
      session.log().accept("odoo-gitops: " + result.message());
      return PromotionResults.toMap(result);
    }
  }

  @Extension
  public static final class DescriptorImpl extends OdooStepDescriptor {

    public DescriptorImpl() {
      super("odooHoldRelease");
    }

    @NonNull
    @Override
    public String getDisplayName() {
      return Messages.OdooHoldReleaseStep_DisplayName();
    }
  }
}
