package io.odoogitops.jenkins.freeze;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.FilePath;
import hudson.Util;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.odoogitops.jenkins.repository.GitOpsAccess;
import io.odoogitops.jenkins.repository.GitOpsAccessFactory;
import io.odoogitops.jenkins.repository.GitOpsCallable;
import io.odoogitops.jenkins.repository.Session;
import io.odoogitops.policy.Action;
import io.odoogitops.policy.FreezeInterval;
import io.odoogitops.policy.FreezeStatus;
import io.odoogitops.policy.ReleasePolicy;
import java.io.Serial;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;
import org.kohsuke.stapler.DataBoundConstructor;

/**
 * {@code odooFreezeStatus}: whether an environment is frozen now, by which windows, and when it opens, from the release
 * policy at the head of the GitOps repository; the CLI's {@code odoo-gitops freeze status --env}. A Pipeline can
 * skip its promotion stage instead of failing on a freeze.
 */
public class OdooFreezeStatusStep extends Step {

  private final String environment;

  @DataBoundConstructor
  public OdooFreezeStatusStep(String environment) {
    this.environment = Util.fixEmptyAndTrim(environment);
  }

  public String getEnvironment() {
    return environment;
  }

  @Override
  public StepExecution start(StepContext context) {
    return new Execution(context, environment);
  }

  static final class Execution extends SynchronousNonBlockingStepExecution<Map<String, Object>> {

    @Serial
    private static final long serialVersionUID = 1L;

    private final String environment;

    Execution(StepContext context, String environment) {
      super(context);
      this.environment = environment;
    }

    @Override
    protected Map<String, Object> run() throws Exception {
      Run<?, ?> run = getContext().get(Run.class);
      FilePath workspace = getContext().get(FilePath.class);
      TaskListener listener = getContext().get(TaskListener.class);
      GitOpsAccess access = GitOpsAccessFactory.forRun(run, workspace);
      Map<String, Object> status = workspace.act(new FreezeStatusCallable(access, listener, environment));
      listener.getLogger().println("odooFreezeStatus: " + environment + " is "
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
  public static final class DescriptorImpl extends StepDescriptor {

    @Override
    public String getFunctionName() {
      return "odooFreezeStatus";
    }

    @NonNull
    @Override
    public String getDisplayName() {
      return Messages.OdooFreezeStatusStep_DisplayName();
    }

    @Override
    public Set<? extends Class<?>> getRequiredContext() {
      return Set.of(Run.class, FilePath.class, TaskListener.class);
    }
  }
}
