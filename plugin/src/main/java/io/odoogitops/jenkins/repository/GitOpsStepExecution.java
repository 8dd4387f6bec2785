package io.odoogitops.jenkins.repository;

import hudson.FilePath;
import hudson.model.TaskListener;
import io.odoogitops.jenkins.step.OdooStepExecution;
import java.io.IOException;
import java.io.Serial;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * The execution of a step that works against the GitOps repository: {@link #onAgent} reads it on the agent of the
 * workspace, {@link #land} commits to it where {@link Landing} says (the agent, or the controller with the release
 * key). The build's {@link GitOpsAccess} is resolved on the controller each time.
 */
public abstract class GitOpsStepExecution<S extends Step> extends OdooStepExecution<S> {

  @Serial
  private static final long serialVersionUID = 1L;

  protected GitOpsStepExecution(StepContext context, S step) {
    super(context, step);
  }

  /** What to run against the repository, given the build's access and log. */
  @FunctionalInterface
  protected interface Work<T> {
    GitOpsCallable<T> with(GitOpsAccess access, TaskListener listener);
  }

  /** Runs {@code work} on the agent of the workspace. */
  protected final <T> T onAgent(Work<T> work) throws IOException, InterruptedException {
    FilePath workspace = workspace();
    return workspace.act(work.with(GitOpsAccessFactory.forRun(build(), workspace), listener()));
  }

  /** Runs {@code work}, which commits, where {@link Landing} puts it. */
  protected final <T> T land(Work<T> work) throws IOException, InterruptedException {
    TaskListener listener = listener();
    return Landing.land(build(), workspace(), listener, access -> work.with(access, listener));
  }
}
