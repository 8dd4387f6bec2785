package io.odoogitops.jenkins.step;

import hudson.Util;
import org.jenkinsci.plugins.workflow.steps.Step;

/**
 * A step about one environment of the GitOps repository: its first parameter is {@code environment}, trimmed, blank
 * meaning none (the core names what is missing). Like pipeline-utility-steps' {@code AbstractFileStep}, the shared
 * parameter lives here and a subclass's {@code @DataBoundConstructor} passes it on under the same name.
 */
public abstract class EnvironmentStep extends Step {

  /** Protected, so that a step's own nested execution and agent work read it as they read the step's other fields. */
  protected final String environment;

  protected EnvironmentStep(String environment) {
    this.environment = Util.fixEmptyAndTrim(environment);
  }

  public String getEnvironment() {
    return environment;
  }
}
