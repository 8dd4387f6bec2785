package io.odoogitops.jenkins.step;

import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;

/**
 * The descriptor of an odoo-gitops step: its Pipeline name and the context it needs are given once, to the
 * constructor; a subclass adds its display name (from its own package's {@code Messages}) and its form checks.
 */
public abstract class OdooStepDescriptor extends StepDescriptor {

  private final String functionName;
  private final Set<Class<?>> context;

  /** A step that works in a node's workspace: it needs the build, the workspace, the log and {@code extra}. */
  protected OdooStepDescriptor(String functionName, Class<?>... extra) {
    this(functionName, Set.of(Run.class, FilePath.class, TaskListener.class), extra);
  }

  /** A step that needs only {@code context} and {@code extra} (odooGate waits outside a node). */
  protected OdooStepDescriptor(String functionName, Set<Class<?>> context, Class<?>... extra) {
    this.functionName = functionName;
    Set<Class<?>> all = new HashSet<>(context);
    all.addAll(List.of(extra));
    this.context = Set.copyOf(all);
  }

  @Override
  public final String getFunctionName() {
    return functionName;
  }

  @Override
  public final Set<? extends Class<?>> getRequiredContext() {
    return context;
  }
}
