package io.odoogitops.jenkins.freeze;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.TaskListener;
import io.odoogitops.jenkins.repository.GitOpsAccess;
import io.odoogitops.jenkins.repository.GitOpsCallable;
import io.odoogitops.jenkins.repository.GitOpsStepExecution;
import io.odoogitops.jenkins.repository.Session;
import io.odoogitops.jenkins.step.EnvironmentStep;
import io.odoogitops.jenkins.step.OdooStepDescriptor;
import io.odoogitops.policy.Action;
import io.odoogitops.policy.FreezeInterval;
import io.odoogitops.policy.FreezeStatus;
import io.odoogitops.policy.ReleasePolicy;
import java.io.Serial;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;

/**
 * {@code odooFreezeStatus}: whether an environment is frozen now, by which windows, and when it opens, from the release
 * policy at the head of the GitOps repository; the CLI's {@code odoo-gitops freeze status --env}. A Pipeline can
 * skip its promotion stage instead of failing on a freeze.
 */
public class OdooFreezeStatusStep extends EnvironmentStep {

  @DataBoundConstructor
  public OdooFreezeStatusStep(String environment) {
    super(environment);
  }

  @Override
  public StepExecution start(StepContext context) {
    return new Execution(context, this);
  }

  static final class Execution extends GitOpsStepExecution<OdooFreezeStatusStep> {

    @Serial
    private static final long serialVersionUID = 1L;

    private final String environment;

    Execution(StepContext context, OdooFreezeStatusStep step) {
      super(context, step);
      this.environment = step.environment;
    }

    @Override
    protected Map<String, Object> run() throws Exception {
      Map<String, Object> status = onAgent((access, listener) -> new FreezeStatusCallable(access, listener,
          environment));
      listener().getLogger().println("odooFreezeStatus: " + environment + " is "
          + (Boolean.TRUE.equals(status.get("frozen")) ? "frozen by " + status.get("windows") + ", open again at "
              + status.get("openAt") : "open"));
      return status;
    }
  }

  /** Runs on the agent: reads the policy at the branch head and asks it about now. */
  private static final class FreezeStatusCallable extends GitOpsCallable<Map<String, Object>> {

    @Serial
    private static final long serialVersionUID = 1L;

    private final String environment;

    FreezeStatusCallable(GitOpsAccess access, TaskListener listener, String environment) {
      super(access, listener);
      this.environment = environment;
    }

    @Override
    protected Map<String, Object> work(Session session) {
      ReleasePolicy policy = ReleasePolicy.of(session.fetchHead(environment).config());
      return describe(policy.status(environment, Instant.now()));
    }
  }

  /** The Pipeline's view of a {@link FreezeStatus}: strings and booleans, instants in ISO-8601. */
  static Map<String, Object> describe(FreezeStatus status) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("environment", status.environment());
    map.put("frozen", status.frozen());
    map.put("promoteBlocked", status.blocks(Action.PROMOTE));
    map.put("rollbackBlocked", status.blocks(Action.ROLLBACK));
    map.put("windows", status.active().stream().map(FreezeInterval::window).toList());
    map.put("until", status.active().stream().map(i -> i.end().toString()).toList());
    map.put("openAt", status.openAt().map(Instant::toString).orElse(null));
    map.put("nextFreeze", status.nextFreeze().map(OdooFreezeStatusStep::interval).orElse(null));
    return map;
  }

  private static String interval(FreezeInterval interval) {
    return interval.window() + " " + interval.start() + " .. " + interval.end();
  }

  @Extension
  public static final class DescriptorImpl extends OdooStepDescriptor {

    public DescriptorImpl() {
      super("odooFreezeStatus");
    }

    @NonNull
    @Override
    public String getDisplayName() {
      return Messages.OdooFreezeStatusStep_DisplayName();
    }
  }
}
