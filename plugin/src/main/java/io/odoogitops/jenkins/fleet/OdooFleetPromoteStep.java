package io.odoogitops.jenkins.fleet;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.Util;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.remoting.VirtualChannel;
import io.odoogitops.InputFiles;
import io.odoogitops.ReleaseException;
import io.odoogitops.dryrun.report.ReportFiles;
import io.odoogitops.fleet.FleetAdvance;
import io.odoogitops.fleet.FleetRestorePoints;
import io.odoogitops.fleet.FleetRollout;
import io.odoogitops.fleet.TenantVerifier;
import io.odoogitops.gitops.GateCheck;
import io.odoogitops.ImageRef;
import io.odoogitops.jenkins.gate.LandingPolicy;
import io.odoogitops.jenkins.step.BuildIdentity;
import io.odoogitops.jenkins.step.OdooStepDescriptor;
import io.odoogitops.jenkins.step.Refusals;
import io.odoogitops.jenkins.verify.ClusterAccess;
import io.odoogitops.jenkins.repository.GitOpsAccess;
import io.odoogitops.jenkins.repository.GitOpsCallable;
import io.odoogitops.jenkins.repository.Landing;
import io.odoogitops.jenkins.repository.Session;
import io.odoogitops.policy.Ballots;
import io.odoogitops.restore.RestorePointSignature;
import java.io.File;
import java.io.IOException;
import java.io.Serial;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import jenkins.MasterToSlaveFileCallable;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code odooFleetPromote}: advances the rollout of an image across a fleet as far as it may go now (promote the
 * current wave's open tenants whose gates allow, verify, wait out soaks within {@code waitMinutes}, queue frozen
 * tenants); the CLI's {@code odoo-gitops fleet promote}, over the core's {@link FleetRollout}. Each tenant's gate reads
 * its own dry-run evidence from {@code dryRunReports/<tenant>/dry-run.json} (the layout {@code fleet dry-run} writes)
 * and the signed votes in the repository. Returns what the run did and the fleet's state; a halted rollout fails the
 * step ("refused: …") after logging why.
 */
public class OdooFleetPromoteStep extends Step {

  private final String fleet;
  private final String image;
  private String dryRunReports;
  private String restorePoints;
  private String reason;
  private String sourceRevision;
  private int waitMinutes;
  private int historyLimit;
  private String kubernetesCredentialsId;

  @DataBoundConstructor
  public OdooFleetPromoteStep(String fleet, String image) {
    this.fleet = Util.fixEmptyAndTrim(fleet);
    this.image = Util.fixEmptyAndTrim(image);
  }

  public String getFleet() {
    return fleet;
  }

  public String getImage() {
    return image;
  }

  public String getDryRunReports() {
    return dryRunReports;
  }

  /** The directory {@code fleet dry-run} wrote, relative to the workspace; without it no tenant has dry-run evidence. */
  @DataBoundSetter
  public void setDryRunReports(String dryRunReports) {
    this.dryRunReports = Util.fixEmptyAndTrim(dryRunReports);
  }

  public String getRestorePoints() {
    return restorePoints;
  }

  /**
   * The directory {@code fleet restore-point take} wrote, relative to the workspace: each tenant's gate reads
   * {@code <dir>/<tenant>/restore-point.json} (and its {@code .sig}) as its restore point.
   */
  @DataBoundSetter
  public void setRestorePoints(String restorePoints) {
    this.restorePoints = Util.fixEmptyAndTrim(restorePoints);
  }

  public String getReason() {
    return reason;
  }

  @DataBoundSetter
  public void setReason(String reason) {
    this.reason = Util.fixEmptyAndTrim(reason);
  }

  public String getSourceRevision() {
    return sourceRevision;
  }

  /** The module repository commit the image was built from; defaults to {@code GIT_COMMIT}. */
  @DataBoundSetter
  public void setSourceRevision(String sourceRevision) {
    this.sourceRevision = Util.fixEmptyAndTrim(sourceRevision);
  }

  public int getWaitMinutes() {
    return waitMinutes;
  }

  /** How long the step may wait for soaks and freezes that end meanwhile (default 0: one pass, as far as it may go). */
  @DataBoundSetter
  public void setWaitMinutes(int waitMinutes) {
    this.waitMinutes = Math.max(0, waitMinutes);
  }

  public int getHistoryLimit() {
    return historyLimit;
  }

  /** History entries read per tenant (default: the core's, 200). */
  @DataBoundSetter
  public void setHistoryLimit(int historyLimit) {
    this.historyLimit = Math.max(0, historyLimit);
  }

  public String getKubernetesCredentialsId() {
    return kubernetesCredentialsId;
  }

  /**
   * A secret text token for the tenants' verifications instead of the global configuration's
   * {@code kubernetesCredentialsId} (the API server and CA stay the configuration's), as odooVerify resolves it.
   */
  @DataBoundSetter
  public void setKubernetesCredentialsId(String kubernetesCredentialsId) {
    this.kubernetesCredentialsId = Util.fixEmptyAndTrim(kubernetesCredentialsId);
  }

  @Override
  public StepExecution start(StepContext context) {
    return new Execution(context, this);
  }

  static final class Execution extends SynchronousNonBlockingStepExecution<Map<String, Object>> {

    @Serial
    private static final long serialVersionUID = 1L;

    private final transient OdooFleetPromoteStep step;

    Execution(StepContext context, OdooFleetPromoteStep step) {
      super(context);
      this.step = step;
    }

    @Override
    protected Map<String, Object> run() throws Exception {
      Run<?, ?> run = getContext().get(Run.class);
      FilePath workspace = getContext().get(FilePath.class);
      TaskListener listener = getContext().get(TaskListener.class);
      EnvVars env = getContext().get(EnvVars.class);
      if (step.fleet == null) {
        throw new AbortException("bad_input: odooFleetPromote needs fleet: 'NAME' (see 'fleets' in odoo-gitops.yaml)");
      }
      ImageRef ref = Refusals.image(step.image);
      // Read on the agent holding the workspace: with a release key the rollout runs on the controller.
      Map<String, byte[]> reports = step.dryRunReports == null ? null
          : workspace.child(step.dryRunReports).act(new ReportsCallable("dryRunReports", "'fleet dry-run'",
              List.of(ReportFiles.JSON, ReportFiles.SIGNATURE)));
      Map<String, byte[]> points = step.restorePoints == null ? null
          : workspace.child(step.restorePoints).act(new ReportsCallable("restorePoints", "'fleet restore-point take'",
              List.of(FleetRestorePoints.EVIDENCE, FleetRestorePoints.EVIDENCE + RestorePointSignature.SUFFIX)));
      BuildIdentity who = BuildIdentity.of(run);
      // resolved on the controller, for this build, as odooVerify's: the callable carries the plain values
      ClusterAccess cluster = ClusterAccess.of(run, step.kubernetesCredentialsId);
      String revision = step.sourceRevision != null ? step.sourceRevision : env.get("GIT_COMMIT");
      List<String> changeAuthors = new ArrayList<>(BuildIdentity.changeAuthors(run));
      // Rollbacks (autoRollback) pass the gate as odooRollback's do: no votes, freeze windows that block rollbacks.
      LandingPolicy rollbacks = new LandingPolicy(null, null, null, null, null, null, null, null, null, List.of(),
          changeAuthors);
      Map<String, Object> result = Landing.land(run, workspace, listener,
          access -> new PromoteCallable(access, listener, step, ref.pinned(), reports, points, who, revision,
              changeAuthors, rollbacks, cluster));
      listener.getLogger().println("odooFleetPromote: " + result.get("outcome") + ": " + result.get("message"));
      if ("HALTED".equals(result.get("outcome"))) {
        throw new AbortException("refused: the rollout of fleet " + step.fleet + " is halted: " + result.get("message")
            + "; fix the cause and resume it (odoo-gitops fleet resume), or roll it back");
      }
      return result;
    }
  }

  /**
   * Runs on the agent holding the workspace: the named files of every {@code <dir>/<tenant>/} (the dry-run reports
   * {@code fleet dry-run} wrote, or the restore points of {@code fleet restore-point take}), as bytes, each read
   * through the core's checks (regular files, bounded); links to directories are not followed.
   */
  static final class ReportsCallable extends MasterToSlaveFileCallable<Map<String, byte[]>> {

    @Serial
    private static final long serialVersionUID = 2L;
    private static final Pattern TENANT = Pattern.compile("[a-z0-9]([a-z0-9._-]{0,61}[a-z0-9])?");

    private final String parameter;
    private final String writer;
    private final ArrayList<String> names;

    /**
     * @param parameter the step's parameter, for messages
     * @param writer the command that writes the directory, for messages
     * @param names the files read from each tenant's directory, the first the one the rest belong to
     */
    ReportsCallable(String parameter, String writer, List<String> names) {
      this.parameter = parameter;
      this.writer = writer;
      this.names = new ArrayList<>(names);
    }

    @Override
    public Map<String, byte[]> invoke(File file, VirtualChannel channel) throws IOException {
      Path dir = file.toPath();
      if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        throw new AbortException("bad_input: " + parameter + " " + dir + " is not a directory; pass the directory "
            + writer + " wrote (one <tenant>/" + names.get(0) + " per tenant)");
      }
      Map<String, byte[]> files = new LinkedHashMap<>();
      try (DirectoryStream<Path> tenants = Files.newDirectoryStream(dir)) {
        for (Path tenant : tenants) {
          String name = tenant.getFileName().toString();
          if (!TENANT.matcher(name).matches() || !Files.isDirectory(tenant, LinkOption.NOFOLLOW_LINKS)) {
            continue;
          }
          for (String wanted : names) {
            Path path = tenant.resolve(wanted);
            if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
              try {
                files.put(name + "/" + wanted, InputFiles.read(path, parameter + " file", InputFiles.LARGE_LIMIT));
              } catch (ReleaseException e) {
                throw new AbortException("bad_input: " + e.getMessage());
              }
            }
          }
        }
      }
      return files;
    }
  }

  /** Runs on the agent (on the controller with the release key): the core's rollout, one run of it. */
  private static final class PromoteCallable extends GitOpsCallable<Map<String, Object>> {

    @Serial
    private static final long serialVersionUID = 1L;

    private final String fleet;
    private final String image;
    private final LinkedHashMap<String, byte[]> reports;
    private final LinkedHashMap<String, byte[]> points;
    private final String reason;
    private final BuildIdentity who;
    private final String sourceRevision;
    private final ArrayList<String> changeAuthors;
    private final int waitMinutes;
    private final int historyLimit;
    private final LandingPolicy rollbacks;
    private final ClusterAccess cluster;

    PromoteCallable(GitOpsAccess access, TaskListener listener, OdooFleetPromoteStep step, String image,
        Map<String, byte[]> reports, Map<String, byte[]> points, BuildIdentity who, String sourceRevision,
        List<String> changeAuthors, LandingPolicy rollbacks, ClusterAccess cluster) {
      super(access, listener);
      this.fleet = step.fleet;
      this.image = image;
      this.reports = reports == null ? null : new LinkedHashMap<>(reports);
      this.points = points == null ? null : new LinkedHashMap<>(points);
      this.reason = step.reason;
      this.who = who;
      this.sourceRevision = sourceRevision;
      this.changeAuthors = new ArrayList<>(changeAuthors);
      this.waitMinutes = step.waitMinutes;
      this.historyLimit = step.historyLimit;
      this.rollbacks = rollbacks;
      this.cluster = cluster;
    }

    @Override
    protected Map<String, Object> work(Session session) {
      GateCheck.Inputs shared = new GateCheck.Inputs(null, List.of(), Optional.empty(), Optional.empty(),
          Ballots.none(), Set.copyOf(changeAuthors));
      Path copy = null;
      try (ClusterAccess.Clients clients = cluster.clients()) {
        Function<String, GateCheck.Inputs> inputs = tenant -> shared;
        if (reports != null || points != null) {
          copy = Files.createTempDirectory("odoo-gitops-fleet-reports-");
        }
        if (reports != null) {
          inputs = FleetRollout.dryRunReports(copyOf(reports, copy.resolve("reports")), shared);
        }
        if (points != null) {
          inputs = FleetRestorePoints.gateInputs(copyOf(points, copy.resolve("restore-points")), inputs);
        }
        FleetRollout.Builder rollout = FleetRollout.builder(session.engine(rollbacks.check()), session.repository())
            .gateInputs(inputs)
            // tenants with a cluster block are verified with the configured cluster credential, as odooVerify does
            .verifier(TenantVerifier.cluster(spec -> clients.get(),
                message -> session.log().accept("verify: " + message)))
            .initiator(who.initiator())
            .reason(reason)
            .buildUrl(who.buildUrl())
            .sourceRevision(sourceRevision)
            .progress(session.log())
            .waitUpTo(Duration.ofMinutes(waitMinutes));
        if (historyLimit > 0) {
          rollout.historyLimit(historyLimit);
        }
        FleetAdvance advance = rollout.build().advance(fleet, ImageRef.parse(image));
        return FleetMaps.advance(advance);
      } catch (IOException e) {
        throw ReleaseException.infrastructure("cannot copy the dry-run reports and restore points for the gates: " + e.getMessage(), e);
      } finally {
        delete(copy);
      }
    }

    /** The files read on the agent, laid out again under {@code dir} for the core to read. */
    private static Path copyOf(Map<String, byte[]> files, Path dir) throws IOException {
      Files.createDirectories(dir);
      for (Map.Entry<String, byte[]> file : files.entrySet()) {
        Path target = dir.resolve(file.getKey());
        Files.createDirectories(target.getParent());
        Files.write(target, file.getValue());
      }
      return dir;
    }

    /** Reports and points are evidence, not secrets: a copy left behind in the temp directory would be harmless. */
    private static void delete(Path dir) {
      if (dir != null) {
        try {
          Util.deleteRecursive(dir.toFile());
        } catch (IOException e) {
          // see above
        }
      }
    }
  }

  @Extension
  public static final class DescriptorImpl extends OdooStepDescriptor {

    public DescriptorImpl() {
      super("odooFleetPromote", EnvVars.class);
    }

    @NonNull
    @Override
    public String getDisplayName() {
      return Messages.OdooFleetPromoteStep_DisplayName();
    }
  }
}
