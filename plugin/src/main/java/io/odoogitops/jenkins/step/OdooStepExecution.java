package io.odoogitops.jenkins.step;

import hudson.EnvVars;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.io.IOException;
import java.io.Serial;
import java.util.Map;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;

/**
 * The execution of a step that does one thing through the core and returns a map to the Pipeline, off the CPS thread
 * (workflow-basic-steps' Step/Execution split: the step holds the parameters, this runs them). The step is transient,
 * as in every {@link SynchronousNonBlockingStepExecution}: such an execution is not resumed after a restart, it fails
 * and the build says so.
 */
public abstract class OdooStepExecution<S extends Step> extends SynchronousNonBlockingStepExecution<Map<String, Object>> {

  @Serial
  private static final long serialVersionUID = 1L;

  protected final transient S step;

  protected OdooStepExecution(StepContext context, S step) {
    super(context);
    this.step = step;
  }

  protected final Run<?, ?> build() throws IOException, InterruptedException {
    return getContext().get(Run.class);
  }

  protected final FilePath workspace() throws IOException, InterruptedException {
    return getContext().get(FilePath.class);
  }

  protected final TaskListener listener() throws IOException, InterruptedException {
    return getContext().get(TaskListener.class);
  }

  /** The build's environment variables; only for a step whose descriptor asks for {@link EnvVars}. */
  protected final EnvVars envVars() throws IOException, InterruptedException {
    return getContext().get(EnvVars.class);
  }
}
