package io.odoogitops.jenkins.testing;

import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jvnet.hudson.test.JenkinsRule;

/** Runs a sandboxed Pipeline script in a new job and waits for the build, whatever its result. */
public final class Pipelines {

  private Pipelines() {}

  public static WorkflowRun run(JenkinsRule j, String script) throws Exception {
    WorkflowJob job = j.createProject(WorkflowJob.class);
    job.setDefinition(new CpsFlowDefinition(script, true));
    return j.waitForCompletion(job.scheduleBuild2(0).waitForStart());
  }
}
