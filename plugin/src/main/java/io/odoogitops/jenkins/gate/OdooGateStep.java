package io.odoogitops.jenkins.gate;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Extension;
import hudson.FilePath;
import hudson.Util;
import hudson.model.Result;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.odoogitops.ImageRef;
import io.odoogitops.ReleaseException;
import io.odoogitops.jenkins.dryrun.DryRunAction;
import io.odoogitops.jenkins.repository.GitOpsAccess;
import io.odoogitops.jenkins.repository.GitOpsAccessFactory;
import io.odoogitops.jenkins.step.ApplicationStep;
import io.odoogitops.jenkins.step.BuildIdentity;
import io.odoogitops.jenkins.step.LogMasker;
import io.odoogitops.jenkins.step.OdooStepDescriptor;
import io.odoogitops.jenkins.step.Refusals;
import java.io.IOException;
import java.io.Serial;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.CauseOfInterruption;
import jenkins.model.Jenkins;
import jenkins.util.Timer;
import org.jenkinsci.plugins.workflow.flow.FlowExecution;
import org.jenkinsci.plugins.workflow.flow.FlowExecutionOwner;
import org.jenkinsci.plugins.workflow.steps.FlowInterruptedException;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code odooGate}: opens the release gate of a candidate on the build page and waits for its decision without an
 * executor or a thread: approvers vote there, N approvals proceed, one rejection or the timeout aborts. The CLI's
 * {@code odoo-gitops gate check}, with the votes collected by Jenkins. Returns the decision; a following
 * {@code odooPromote} of the same candidate writes its trailers (Approved-By, Dry-Run, Freeze-Override).
 */
public class OdooGateStep extends ApplicationStep {

  static final int DEFAULT_TIMEOUT_MINUTES = 24 * 60;

  private final String image;
  private String dryRunReport;
  private String sourceAuthor;
  private String overrideJustification;
  private int timeoutMinutes = DEFAULT_TIMEOUT_MINUTES;
  private String restorePoint;

  @DataBoundConstructor
  public OdooGateStep(String environment, String application, String image) {
    super(environment, application);
    this.image = Util.fixEmptyAndTrim(image);
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

  public String getRestorePoint() {
    return restorePoint;
  }

  /**
   * The restore point's evidence file ({@code odoo-gitops restore-point take}), relative to the workspace (needs a
   * {@code node}); read on the agent like {@code dryRunReport}, judged by the gate's restore point rule.
   */
  @DataBoundSetter
  public void setRestorePoint(String restorePoint) {
    this.restorePoint = Util.fixEmptyAndTrim(restorePoint);
  }

  @Override
  public StepExecution start(StepContext context) {
    return new Execution(context, this);
  }

  /**
   * Waits for the gate. {@link #start()} chooses the gate's id and deadline, hands the git work to
   * {@link GateOpenings} and returns {@code false}: the Pipeline is suspended on the gate, holding no executor slot
   * and no thread. The gate's state is serialized with the program: its id and deadline from the start, and a copy of
   * the gate (inputs, votes, decision so far) each time it changes, saved at once with
   * {@link StepContext#saveState()}. After a restart, clean or not, {@link #onResume()} takes the gate from the
   * build if its last save made it there, or re-attaches the copy, or opens it again under the same id when the
   * controller stopped before the inputs were read; then it re-evaluates at the current time.
   */
  public static final class Execution extends StepExecution {

    @Serial
    private static final long serialVersionUID = 2L;
    private static final Logger LOGGER = Logger.getLogger(Execution.class.getName());

    private final String environment;
    private final String application;
    private final String image;
    private final String dryRunReport;
    private final String sourceAuthor;
    private final String overrideJustification;
    private final int timeoutMinutes;
    private final String restorePoint;
    private String restorePointPath;
    /** Chosen before the program is first saved, so a program saved at any later point names this gate. */
    private final String gateId = UUID.randomUUID().toString();
    private long deadline;
    private String reportPath;
    /** The gate as last recorded: null until its inputs were read. */
    private GateAction saved;
    private boolean completed;
    private transient ScheduledFuture<?> wake;

    Execution(StepContext context, OdooGateStep step) {
      super(context);
      this.environment = step.environment;
      this.application = step.application;
      this.image = step.image;
      this.dryRunReport = step.dryRunReport;
      this.sourceAuthor = step.sourceAuthor;
      this.overrideJustification = step.overrideJustification;
      this.timeoutMinutes = step.timeoutMinutes;
      this.restorePoint = step.restorePoint;
    }

    @Override
    public boolean start() throws Exception {
      Refusals.image(image);
      // Outside a node block (the way to wait without an executor) the policy is fetched by the controller's own
      // GitOps cache; inside one, on the agent as every other step does.
      FilePath workspace = getContext().get(FilePath.class);
      if (dryRunReport != null && workspace == null) {
        throw new AbortException("bad_input: dryRunReport is a workspace path; call odooGate inside node { } or"
            + " leave dryRunReport out to use this build's odooDryRun");
      }
      synchronized (this) {
        deadline = Instant.now().plus(Duration.ofMinutes(timeoutMinutes)).toEpochMilli();
        reportPath = dryRunReport == null ? null : workspace.child(dryRunReport).getRemote();
        if (restorePoint != null && workspace == null) {
          throw new AbortException("bad_input: restorePoint is a workspace path; call odooGate inside node { }");
        }
        restorePointPath = restorePoint == null ? null : workspace.child(restorePoint).getRemote();
      }
      openGate(workspace);
      return false;
    }

    /** Reads the gate's inputs from the GitOps repository, off the CPS thread and off Jenkins' shared Timer. */
    private void openGate(FilePath workspace) throws Exception {
      Run<?, ?> run = getContext().get(Run.class);
      TaskListener listener = getContext().get(TaskListener.class);
      FilePath where = workspace != null ? workspace : Jenkins.get().getRootPath();
      GitOpsAccess access = GitOpsAccessFactory.forRun(run, where);
      String report = reportPath();
      LogMasker masker = new LogMasker(access.secrets());
      String point = restorePointPath();
      GateOpenings.open(() -> where.act(new GateInputs.Gather(access, listener, environment, application, report,
          point)),
          GateOpenings.LIMIT, (inputs, failure) -> {
            if (failure != null) {
              fail(failure, masker);
            } else {
              opened(run, listener, inputs, report == null, masker);
            }
          });
    }

    private void opened(Run<?, ?> run, TaskListener listener, GateInputs gathered, boolean dryRunOfThisBuild,
        LogMasker masker) {
      synchronized (this) {
        if (completed) {
          return; // stopped while the inputs were read: no gate to show
        }
      }
      try {
        ImageRef ref = Refusals.image(image);
        GateInputs inputs = dryRunOfThisBuild ? gathered.withDryRunOf(run.getAction(DryRunAction.class)) : gathered;
        GateAction gate = new GateAction(gateId, environment, application, ref.pinned(), ref.digest().value(),
            BuildIdentity.starter(run), sourceAuthor, BuildIdentity.changeAuthors(run), overrideJustification, inputs,
            deadline());
        run.addAction(gate);
        gate.settle(gate.evaluate(gate.getVotes(), Instant.now()));
        run.save();
        record(gate);
        String candidate = environment + "/" + application + "@" + ref.shortDigest();
        if (gate.getState() == GateAction.State.WAITING) {
          listener.getLogger().println("odooGate: " + candidate + " waits for its release gate (policy at "
              + inputs.policyCommit() + "); vote at " + BuildIdentity.of(run).buildUrl() + gate.getUrlName()
              + "/ until " + gate.getDeadline());
          armWake(gate);
        } else {
          listener.getLogger().println("odooGate: " + candidate + " " + gate.getState() + " at once (policy at "
              + inputs.policyCommit() + ")");
          finishIfDecided(gate);
        }
      } catch (Exception e) {
        fail(e, masker);
      }
    }

    /** The policy file is parsed on the controller: its errors read like the CLI's, without a stack trace. */
    private void fail(Throwable failure, LogMasker masker) {
      getContext().onFailure(failure instanceof ReleaseException e ? Refusals.abort(e, masker) : failure);
    }

    @Override
    public void onResume() {
      try {
        Run<?, ?> run = getContext().get(Run.class);
        GateAction gate = gate(run);
        GateAction copy = saved();
        if (gate == null && copy != null) {
          // The build's last save before the crash did not hold the gate; the program's copy did.
          gate = copy.copy();
          run.addAction(gate);
          run.save();
        }
        if (gate == null) {
          getContext().get(TaskListener.class).getLogger().println("odooGate: the controller stopped before the"
              + " release gate opened; opening it again");
          openGate(getContext().get(FilePath.class));
        } else {
          reevaluate(gate);
        }
      } catch (Exception e) {
        getContext().onFailure(e);
      }
    }

    @Override
    public void stop(@NonNull Throwable cause) throws Exception {
      cancelWake();
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

    /**
     * Called by {@link GateAction} after a vote was recorded: hands it to the execution waiting on that gate, found
     * among the current steps of that build's own Pipeline, and no other.
     */
    static void voted(GateAction gate, GateVote vote) {
      FlowExecution flow = gate.run() instanceof FlowExecutionOwner.Executable build
          && build.asFlowExecutionOwner() != null ? build.asFlowExecutionOwner().getOrNull() : null;
      if (flow == null) {
        LOGGER.warning(() -> "a vote on " + gate.run() + " found no running Pipeline to hand it to");
        return;
      }
      Futures.addCallback(flow.getCurrentExecutions(true), new FutureCallback<List<StepExecution>>() {
        @Override
        public void onSuccess(List<StepExecution> executions) {
          executions.stream().filter(Execution.class::isInstance).map(Execution.class::cast)
              .filter(execution -> execution.gateId.equals(gate.getId()))
              .forEach(execution -> execution.onVote(gate, vote));
        }

        @Override
        public void onFailure(@NonNull Throwable t) {
          LOGGER.log(Level.WARNING, "could not hand a vote to the gate of " + gate.run(), t);
        }
      }, MoreExecutors.directExecutor());
    }

    private void onVote(GateAction gate, GateVote vote) {
      try {
        getContext().get(TaskListener.class).getLogger().println("odooGate: " + vote.getVoter() + " voted "
            + vote.getVote() + "; the gate is " + gate.getState());
      } catch (IOException | InterruptedException e) {
        LOGGER.log(Level.FINE, "no log for the vote on " + gate.run(), e);
      }
      record(gate);
      if (!finishIfDecided(gate)) {
        armWake(gate); // a new vote has its own expiry
      }
    }

    /** Keeps a copy of the gate in the program and saves the program now, not at the next checkpoint. */
    private void record(GateAction gate) {
      synchronized (this) {
        saved = gate.copy();
      }
      getContext().saveState();
    }

    private synchronized GateAction saved() {
      return saved;
    }

    private synchronized Instant deadline() {
      return Instant.ofEpochMilli(deadline);
    }

    private synchronized String restorePointPath() {
      return restorePointPath;
    }

    private synchronized String reportPath() {
      return reportPath;
    }

    private GateAction gate(Run<?, ?> run) {
      return run.getActions(GateAction.class).stream().filter(a -> a.getId().equals(gateId)).findFirst()
          .orElse(null);
    }

    /**
     * Decides again at the current time: the deadline may have passed, a freeze ended or a vote expired since the
     * last look. Completes the step, or schedules the next look.
     */
    private void reevaluate(GateAction gate) {
      Instant now = Instant.now();
      if (!now.isBefore(gate.getDeadline())) {
        gate.close(GateAction.State.TIMED_OUT, "no decision before " + gate.getDeadline());
      } else {
        gate.settle(gate.evaluate(gate.getVotes(), now));
      }
      if (gate.getState() != GateAction.State.WAITING) {
        try {
          gate.run().save();
        } catch (IOException e) {
          LOGGER.log(Level.WARNING, "could not save the gate of " + gate.run(), e);
        }
        record(gate);
      }
      if (!finishIfDecided(gate)) {
        armWake(gate);
      }
    }

    /** Completes the step once, whichever comes first: the deciding vote, a scheduled look, or the resume check. */
    private synchronized boolean finishIfDecided(GateAction gate) {
      if (completed) {
        return true;
      }
      completed = gate.getState() != GateAction.State.WAITING;
      switch (gate.getState()) {
        case WAITING:
          return false;
        case APPROVED:
          cancelWake();
          getContext().onSuccess(gate.result());
          return true;
        case REFUSED:
          cancelWake();
          getContext().onFailure(new AbortException("refused: " + gate.getOutcome()));
          return true;
        default: // REJECTED, TIMED_OUT, ABORTED
          cancelWake();
          getContext().onFailure(new FlowInterruptedException(Result.ABORTED, true,
              new GateClosed(gate.getState(), gate.getOutcome())));
          return true;
      }
    }

    /**
     * Schedules the next look at the gate: when the decision may change by itself (a freeze ends or starts, a vote
     * expires, as the core's {@link io.odoogitops.policy.ReleasePolicy#nextChange} says) or at the deadline,
     * whichever is first. Evaluating is quick and talks to no server, so the shared Timer is the right place.
     */
    private synchronized void armWake(GateAction gate) {
      cancelWake();
      if (completed) {
        return;
      }
      Instant at = gate.nextChange(Instant.now()).filter(t -> t.isBefore(gate.getDeadline()))
          .orElse(gate.getDeadline());
      long delay = Math.max(0, at.toEpochMilli() - System.currentTimeMillis());
      wake = Timer.get().schedule(() -> {
        try {
          reevaluate(gate);
        } catch (RuntimeException e) {
          // the policy text was parsed when the gate opened; a failure now is a bug, not a refusal to explain
          getContext().onFailure(e);
        }
      }, delay, TimeUnit.MILLISECONDS);
    }

    private synchronized void cancelWake() {
      if (wake != null) {
        wake.cancel(false);
        wake = null;
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
  public static final class DescriptorImpl extends OdooStepDescriptor {

    /** Run and log only: the gate waits outside a node, holding no executor. */
    public DescriptorImpl() {
      super("odooGate", Set.of(Run.class, TaskListener.class));
    }

    @NonNull
    @Override
    public String getDisplayName() {
      return Messages.OdooGateStep_DisplayName();
    }
  }
}
