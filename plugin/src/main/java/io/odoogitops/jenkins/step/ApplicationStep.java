package io.odoogitops.jenkins.step;

import hudson.Util;

/** A step about one application in one environment: {@code environment} and {@code application}, both required. */
public abstract class ApplicationStep extends EnvironmentStep {

  protected final String application;

  protected ApplicationStep(String environment, String application) {
    super(environment);
    this.application = Util.fixEmptyAndTrim(application);
  }

  public String getApplication() {
    return application;
  }
}
