package io.odoogitops.jenkins.repository;

import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.odoogitops.jenkins.signing.ControllerKeys;
import io.odoogitops.trust.CommitSigner;
import java.io.IOException;
import java.util.function.Function;
import jenkins.model.Jenkins;

/**
 * Where a promotion or rollback commit is made. Without a release key, on the agent of the workspace as before. With
 * one, on the controller, in the step's own thread: the key is read from its System-scope credential into memory
 * there and handed to the core's engine, which signs the commit only after the landing check (the gate's decision,
 * re-evaluated on the commit being built on) allowed it. The key never reaches an agent, a file or the build's
 * environment.
 */
public final class Landing {

  private Landing() {}

  public static <T> T land(Run<?, ?> run, FilePath workspace, TaskListener listener,
      Function<GitOpsAccess, GitOpsCallable<T>> work) throws IOException, InterruptedException {
    if (!ControllerKeys.releaseKeyConfigured()) {
      return workspace.act(work.apply(GitOpsAccessFactory.forRun(run, workspace)));
    }
    CommitSigner key = ControllerKeys.releaseSigner();
    listener.getLogger().println("odoo-gitops: the commit is made on the controller and signed with the release key "
        + key.format().lowerCase() + " " + key.fingerprint());
    FilePath controller = Jenkins.get().getRootPath();
    return work.apply(GitOpsAccessFactory.forRun(run, controller)).signedBy(key).call();
  }
}
