package io.odoogitops.jenkins.gate;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Extension;
import hudson.FilePath;
import hudson.Util;
import hudson.model.Result;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.odoogitops.ReleaseException;
import io.odoogitops.gitops.ImageRef;
import io.odoogitops.jenkins.dryrun.DryRunAction;
import io.odoogitops.jenkins.gitops.BuildIdentity;
import io.odoogitops.jenkins.gitops.GitOpsAccess;
import io.odoogitops.jenkins.gitops.GitOpsAccessFactory;
import io.odoogitops.jenkins.gitops.LogMasker;
import io.odoogitops.jenkins.gitops.Refusals;
import java.io.Serial;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.CauseOfInterruption;
import jenkins.model.Jenkins;
import jenkins.util.Timer;
import org.jenkinsci.plugins.workflow.steps.FlowInterruptedException;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code odooGate}: opens the release gate of a candidate on the build page and waits for its decision without an
 * executor or a thread: approvers vote there, N approvals proceed, one rejection or the timeout aborts. The CLI's
 * {@code odoo-gitops gate check}, with the votes collected by Jenkins. Returns the decision; a following
 * {@code odooPromote} of the same candidate writes its trailers (Approved-By, Dry-Run, Freeze-Override).
 */
public class OdooGateStep extends Step {

  static final int DEFAULT_TIMEOUT_MINUTES = 24 * 60;

  private final String environment;
  private final String application;
  private final String image;
  private String dryRunReport;
  private String sourceAuthor;
  private String overrideJustification;
  private int timeoutMinutes = DEFAULT_TIMEOUT_MINUTES;

  @DataBoundConstructor
  public OdooGateStep(String environment, String application, String image) {
    this.environment = Util.fixEmptyAndTrim(environment);
    this.application = Util.fixEmptyAndTrim(application);
    this.image = Util.fixEmptyAndTrim(image);
  }

  public String getEnvironment() {
    return environment;
  }

  public String getApplication() {
    return application;
  }

  public String getImage() {
    return image;
  }

  public String getDryRunReport() {
    return dryRunReport;
  }

  /**
   * A dry-run.json made outside this build, relative to the workspace (needs a {@code node}). Without it the gate
   * takes the verdict of this build's {@code odooDryRun} of the same digest, which a Jenkinsfile cannot forge.
   */
  @DataBoundSetter
  public void setDryRunReport(String dryRunReport) {
    this.dryRunReport = Util.fixEmptyAndTrim(dryRunReport);
  }

  public String getSourceAuthor() {
    return sourceAuthor;
  }

  /** The Jenkins user id of the source revision's author, barred from approving under four-eyes. */
  @DataBoundSetter
  public void setSourceAuthor(String sourceAuthor) {
    this.sourceAuthor = Util.fixEmptyAndTrim(sourceAuthor);
  }

  public String getOverrideJustification() {
    return overrideJustification;
  }

  /** Asks for an emergency override of the active freeze; it needs its own approvals at the same gate. */
  @DataBoundSetter
  public void setOverrideJustification(String overrideJustification) {
    this.overrideJustification = Util.fixEmptyAndTrim(overrideJustification);
  }

  public int getTimeoutMinutes() {
    return timeoutMinutes;
  }

  @DataBoundSetter
  public void setTimeoutMinutes(int timeoutMinutes) {
    this.timeoutMinutes = timeoutMinutes <= 0 ? DEFAULT_TIMEOUT_MINUTES : timeoutMinutes;
  }

  @Override
  public StepExecution start(StepContext context) {
    return new Execution(context, this);
  }

  /**
   * Waits for the gate. {@link #start()} returns {@code false} right after handing the agent work to a timer
   * thread: the Pipeline is suspended on the gate, holding no executor slot and no thread. The build page's votes
   * (in {@link GateAction}) find this execution through {@link StepExecution#acceptAll} and complete it. Only the
   * gate id and the step's parameters are serialized with the program, so after a restart {@link #onResume()} finds
   * the votes in the build's saved {@link GateAction} and re-arms the timeout.
   */
  public static final class Execution extends StepExecution {

    @Serial
    private static final long serialVersionUID = 1L;
    private static final Logger LOGGER = Logger.getLogger(Execution.class.getName());

    private final String environment;
    private final String application;
    private final String image;
    private final String dryRunReport;
    private final String sourceAuthor;
    private final String overrideJustification;
    private final int timeoutMinutes;
    private String gateId;
    private boolean completed;
    private transient ScheduledFuture<?> timeout;

    Execution(StepContext context, OdooGateStep step) {
      super(context);
      this.environment = step.environment;
      this.application = step.application;
      this.image = step.image;
      this.dryRunReport = step.dryRunReport;
      this.sourceAuthor = step.sourceAuthor;
      this.overrideJustification = step.overrideJustification;
      this.timeoutMinutes = step.timeoutMinutes;
    }

    @Override
    public boolean start() throws Exception {
      Run<?, ?> run = getContext().get(Run.class);
      TaskListener listener = getContext().get(TaskListener.class);
      ImageRef ref = parseImage();
      // Outside a node block (the way to wait without an executor) the policy is fetched by the controller's own
      // GitOps cache, on a timer thread; inside one, on the agent as every other step does.
      FilePath workspace = getContext().get(FilePath.class);
      if (dryRunReport != null && workspace == null) {
        throw new AbortException("bad_input: dryRunReport is a workspace path; call odooGate inside node { } or"
            + " leave dryRunReport out to use this build's odooDryRun");
      }
      FilePath where = workspace != null ? workspace : Jenkins.get().getRootPath();
      GitOpsAccess access = GitOpsAccessFactory.forRun(run, where);
      String report = dryRunReport == null ? null : workspace.child(dryRunReport).getRemote();
      // Fetching the policy talks to the git server: never on the Pipeline's CPS thread.
      Timer.get().submit(() -> open(run, where, listener, access, ref, report));
      return false;
    }

    private void open(Run<?, ?> run, FilePath where, TaskListener listener, GitOpsAccess access, ImageRef ref,
        String report) {
      try {
        GateInputs inputs = where.act(new GateInputs.Gather(access, listener, environment, application, report));
        if (report == null) {
          inputs = inputs.withDryRunOf(run.getAction(DryRunAction.class));
        }
        GateAction gate = new GateAction(environment, application, ref.pinned(), ref.digest(),
            BuildIdentity.starter(run), sourceAuthor, overrideJustification, inputs,
            Instant.now().plus(Duration.ofMinutes(timeoutMinutes)));
        synchronized (this) {
          gateId = gate.getId();
        }
        run.addAction(gate);
        gate.settle(gate.evaluate(gate.getVotes(), Instant.now()));
        run.save();
        String candidate = environment + "/" + application + "@" + ref.shortDigest();
        if (gate.getState() == GateAction.State.WAITING) {
          listener.getLogger().println("odooGate: " + candidate + " waits for its release gate (policy at "
              + inputs.policyCommit() + "); vote at " + BuildIdentity.of(run).buildUrl() + gate.getUrlName()
              + "/ until " + gate.getDeadline());
          armTimeout(gate);
        } else {
          listener.getLogger().println("odooGate: " + candidate + " " + gate.getState() + " at once (policy at "
              + inputs.policyCommit() + ")");
          finishIfDecided(gate);
        }
      } catch (ReleaseException e) {
        // The policy file is parsed here on the controller; its errors read like the CLI's, without a stack trace.
        getContext().onFailure(Refusals.abort(e, new LogMasker(access.secrets())));
      } catch (Exception e) {
        getContext().onFailure(e);
      }
    }

    @Override
    public void onResume() {
      try {
        GateAction gate = gate(getContext().get(Run.class));
        if (gate == null) {
          getContext().onFailure(new AbortException("the release gate was not saved before the restart; run again"));
        } else if (!finishIfDecided(gate)) {
          armTimeout(gate);
        }
      } catch (Exception e) {
        getContext().onFailure(e);
      }
    }

    @Override
    public void stop(@NonNull Throwable cause) throws Exception {
      cancelTimeout();
      GateAction gate = gate(getContext().get(Run.class));
      if (gate != null) {
        gate.close(GateAction.State.ABORTED, "the build was stopped while waiting");
        gate.run().save();
      }
      synchronized (this) {
        completed = true;
      }
      getContext().onFailure(cause);
    }

    @Override
    public String getStatus() {
      return "waiting for the release gate of " + environment + "/" + application;
    }

    /** Called by {@link GateAction} after each vote: completes the waiting step if the gate has decided. */
    static void decided(GateAction gate) {
      StepExecution.acceptAll(Execution.class, execution -> {
        if (gate.getId().equals(execution.gateId())) {
          execution.finishIfDecided(gate);
        }
      });
    }

    private synchronized String gateId() {
      return gateId;
    }

    private GateAction gate(Run<?, ?> run) {
      String id = gateId();
      return run.getActions(GateAction.class).stream().filter(a -> a.getId().equals(id)).findFirst().orElse(null);
    }

    /** Completes the step once, whichever comes first: the deciding vote, the timeout, or the resume check. */
    private synchronized boolean finishIfDecided(GateAction gate) {
      if (completed) {
        return true;
      }
      completed = gate.getState() != GateAction.State.WAITING;
      switch (gate.getState()) {
        case WAITING:
          return false;
        case APPROVED:
          cancelTimeout();
          getContext().onSuccess(gate.result());
          return true;
        case REFUSED:
          cancelTimeout();
          getContext().onFailure(new AbortException("refused: " + gate.getOutcome()));
          return true;
        default: // REJECTED, TIMED_OUT, ABORTED
          cancelTimeout();
          getContext().onFailure(new FlowInterruptedException(Result.ABORTED, true,
              new GateClosed(gate.getState(), gate.getOutcome())));
          return true;
      }
    }

    private synchronized void armTimeout(GateAction gate) {
      long delay = Math.max(0, gate.getDeadline().toEpochMilli() - System.currentTimeMillis());
      timeout = Timer.get().schedule(() -> {
        gate.close(GateAction.State.TIMED_OUT, "no decision before " + gate.getDeadline());
        try {
          gate.run().save();
        } catch (java.io.IOException e) {
          LOGGER.log(Level.WARNING, "could not save the timed-out gate of " + gate.run(), e);
        }
        finishIfDecided(gate);
      }, delay, TimeUnit.MILLISECONDS);
    }

    private synchronized void cancelTimeout() {
      if (timeout != null) {
        timeout.cancel(false);
        timeout = null;
      }
    }

    private ImageRef parseImage() throws AbortException {
      try {
        return ImageRef.parse(image);
      } catch (ReleaseException e) {
        throw new AbortException("bad_input: " + e.getMessage());
      }
    }
  }

  /** Why the build stopped at the gate; shown on the build page and in the log. */
  public static final class GateClosed extends CauseOfInterruption {

    @Serial
    private static final long serialVersionUID = 1L;

    private final GateAction.State state;
    private final String why;

    GateClosed(GateAction.State state, String why) {
      this.state = state;
      this.why = why;
    }

    @Override
    public String getShortDescription() {
      return "Release gate " + state.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ": " + why;
    }
  }

  @Extension
  public static final class DescriptorImpl extends StepDescriptor {

    @Override
    public String getFunctionName() {
      return "odooGate";
    }

    @NonNull
    @Override
    public String getDisplayName() {
      return Messages.OdooGateStep_DisplayName();
    }

    @Override
    public Set<? extends Class<?>> getRequiredContext() {
      return Set.of(Run.class, TaskListener.class);
    }
  }
}
