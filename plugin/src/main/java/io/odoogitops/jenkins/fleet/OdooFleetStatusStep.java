package io.odoogitops.jenkins.fleet;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.FilePath;
import hudson.Util;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.odoogitops.ImageDigest;
import io.odoogitops.fleet.FleetRollout;
import io.odoogitops.jenkins.step.OdooStepDescriptor;
import io.odoogitops.jenkins.step.Refusals;
import io.odoogitops.jenkins.repository.GitOpsAccess;
import io.odoogitops.jenkins.repository.GitOpsAccessFactory;
import io.odoogitops.jenkins.repository.GitOpsCallable;
import io.odoogitops.jenkins.repository.Session;
import java.io.Serial;
import java.util.Map;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code odooFleetStatus}: where the rollout of a digest across a fleet stands, tenant by tenant, read from the GitOps
 * history at the branch head (the halt and verifications the rollout recorded included); the CLI's
 * {@code odoo-gitops fleet status}. Returns a map: {@code counts}, {@code halt}, {@code tenants[]} with {@code state}.
 */
public class OdooFleetStatusStep extends Step {

  private final String fleet;
  private String image;

  @DataBoundConstructor
  public OdooFleetStatusStep(String fleet) {
    this.fleet = Util.fixEmptyAndTrim(fleet);
  }

  public String getFleet() {
    return fleet;
  }

  public String getImage() {
    return image;
  }

  /** The digest to report on (REF@sha256:…); default: the one the fleet released last. */
  @DataBoundSetter
  public void setImage(String image) {
    this.image = Util.fixEmptyAndTrim(image);
  }

  @Override
  public StepExecution start(StepContext context) {
    return new Execution(context, fleet, image);
  }

  static final class Execution extends SynchronousNonBlockingStepExecution<Map<String, Object>> {

    @Serial
    private static final long serialVersionUID = 1L;

    private final String fleet;
    private final String image;

    Execution(StepContext context, String fleet, String image) {
      super(context);
      this.fleet = fleet;
      this.image = image;
    }

    @Override
    protected Map<String, Object> run() throws Exception {
      Run<?, ?> run = getContext().get(Run.class);
      FilePath workspace = getContext().get(FilePath.class);
      TaskListener listener = getContext().get(TaskListener.class);
      if (fleet == null) {
        throw new hudson.AbortException("bad_input: odooFleetStatus needs fleet: 'NAME' (see 'fleets' in"
            + " odoo-gitops.yaml)");
      }
      ImageDigest digest = image == null ? null : Refusals.image(image).digest();
      GitOpsAccess access = GitOpsAccessFactory.forRun(run, workspace);
      Map<String, Object> status = workspace.act(new StatusCallable(access, listener, fleet, digest));
      listener.getLogger().println("odooFleetStatus: fleet " + fleet + " at " + status.get("digest") + ": "
          + status.get("counts") + (status.get("halt") == null ? "" : ", halted: " + status.get("halt")));
      return status;
    }
  }

  /** Runs on the agent: reads the fleet's state at the branch head. */
  private static final class StatusCallable extends GitOpsCallable<Map<String, Object>> {

    @Serial
    private static final long serialVersionUID = 1L;

    private final String fleet;
    private final ImageDigest digest;

    StatusCallable(GitOpsAccess access, TaskListener listener, String fleet, ImageDigest digest) {
      super(access, listener);
      this.fleet = fleet;
      this.digest = digest;
    }

    @Override
    protected Map<String, Object> work(Session session) {
      return FleetMaps.status(FleetRollout.builder(session.engine(), session.repository()).build()
          .status(fleet, digest));
    }
  }

  @Extension
  public static final class DescriptorImpl extends OdooStepDescriptor {

    public DescriptorImpl() {
      super("odooFleetStatus");
    }

    @NonNull
    @Override
    public String getDisplayName() {
      return Messages.OdooFleetStatusStep_DisplayName();
    }
  }
}
