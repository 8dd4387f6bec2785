package io.odoogitops.jenkins.gate;

import hudson.AbortException;
import hudson.FilePath;
import hudson.remoting.VirtualChannel;
import io.odoogitops.ReleaseException;
import io.odoogitops.jenkins.dryrun.DryRunAction;
import io.odoogitops.policy.DryRunEvidence;
import io.odoogitops.restore.RestorePoint;
import io.odoogitops.restore.RestorePointEvidence;
import java.io.File;
import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import jenkins.MasterToSlaveFileCallable;

/**
 * What the gate's restore point rule needs besides the dry-run's verdict, in a form that travels from the agent and is
 * kept with the build: whether the report said RESTORE_REQUIRED, when the dry-run finished, and the restore point's
 * evidence as {@code restore-point take} wrote it (read on the agent, like the dry-run report).
 *
 * @param dryRunFinishedAt ISO instant; null when unknown (no report, or a build record of this build's odooDryRun
 *     written before the time was kept: the core's rule then accepts no restore point)
 * @param restorePointJson the evidence file's JSON; null when no point was given
 */
public record RestoreEvidence(boolean restoreRequired, String dryRunFinishedAt, String restorePointJson)
    implements Serializable {

  @Serial
  private static final long serialVersionUID = 1L;

  static final RestoreEvidence NONE = new RestoreEvidence(false, null, null);

  /** The dry-run's part of a report read by the core, and the point's evidence file at {@code point} (or none). */
  static RestoreEvidence read(DryRunEvidence dryRun, String point) {
    String json = point == null ? null : RestorePointEvidence.toJson(RestorePointEvidence.read(Path.of(point)));
    return new RestoreEvidence(dryRun != null && dryRun.restoreRequired(),
        dryRun == null || dryRun.finishedAt() == null ? null : dryRun.finishedAt().toString(), json);
  }

  /**
   * The facts of {@code dryRun}, this build's odooDryRun, without a point: its rollback safety and when it finished
   * (null in a build record from before that was kept, and then the core accepts no point).
   */
  static RestoreEvidence of(DryRunAction dryRun) {
    return new RestoreEvidence("RESTORE_REQUIRED".equals(dryRun.getRollbackSafety()), dryRun.getFinishedAt(), null);
  }

  /** {@code evidence} with this rollback safety and finish time. */
  DryRunEvidence applyTo(DryRunEvidence evidence) {
    return new DryRunEvidence(evidence.digest(), evidence.verdict(), evidence.reportSha256(), evidence.signature(),
        restoreRequired, dryRunFinishedAt == null ? null : Instant.parse(dryRunFinishedAt));
  }

  /** The restore point, checked again by the core's strict reader. */
  Optional<RestorePoint> point() {
    return Optional.ofNullable(restorePointJson).map(json -> RestorePointEvidence.fromJson(json, "restorePoint"));
  }

  /**
   * The evidence file at {@code path} of the workspace, read and checked on the agent by the core's reader; null
   * when no path is given.
   */
  public static String readOnAgent(FilePath workspace, String path) throws IOException, InterruptedException {
    if (path == null) {
      return null;
    }
    if (workspace == null) {
      throw new AbortException("bad_input: restorePoint is a workspace path; call the step inside node { }");
    }
    try {
      return workspace.child(path).act(new ReadEvidence());
    } catch (ReleaseException e) {
      throw new AbortException("bad_input: " + e.getMessage());
    }
  }

  /** Reads a restore point's evidence where the file is. */
  private static final class ReadEvidence extends MasterToSlaveFileCallable<String> {
    @Serial
    private static final long serialVersionUID = 1L;

    @Override
    public String invoke(File file, VirtualChannel channel) {
      return RestorePointEvidence.toJson(RestorePointEvidence.read(file.toPath()));
    }
  }

  /** These facts with the point of {@code odooPromote}'s own {@code restorePoint}, when it names one. */
  public RestoreEvidence withPoint(String json) {
    return json == null ? this : new RestoreEvidence(restoreRequired, dryRunFinishedAt, json);
  }
}
