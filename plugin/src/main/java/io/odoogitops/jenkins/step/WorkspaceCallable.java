package io.odoogitops.jenkins.step;

import hudson.model.TaskListener;
import hudson.remoting.VirtualChannel;
import io.odoogitops.ReleaseException;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Serial;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import jenkins.MasterToSlaveFileCallable;

/**
 * A step's core call, run on the agent in the workspace: every line it logs is masked against the secrets it carries,
 * and the core's {@link ReleaseException} comes back as the step's failure (see {@link Refusals}). Subclasses carry
 * plain serializable values and return plain ones.
 */
public abstract class WorkspaceCallable<T> extends MasterToSlaveFileCallable<T> {

  @Serial
  private static final long serialVersionUID = 1L;

  private final TaskListener listener;

  protected WorkspaceCallable(TaskListener listener) {
    this.listener = listener;
  }

  @Override
  public final T invoke(File workspace, VirtualChannel channel) throws IOException {
    LogMasker masker = new LogMasker(secrets());
    PrintStream log = listener.getLogger();
    try {
      return work(workspace.toPath(), line -> log.println(masker.mask(line)));
    } catch (ReleaseException e) {
      throw Refusals.abort(e, masker);
    }
  }

  /** The secret values this work carries (passwords, tokens); none may reach the log. */
  protected abstract List<String> secrets();

  /** The one thing this callable does, in {@code workspace}, logging through {@code log}. */
  protected abstract T work(Path workspace, Consumer<String> log);
}
