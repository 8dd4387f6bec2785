package io.odoogitops.jenkins.gate;

import hudson.AbortException;
import hudson.FilePath;
import hudson.remoting.VirtualChannel;
import io.odoogitops.ReleaseException;
import io.odoogitops.jenkins.dryrun.DryRunAction;
import io.odoogitops.policy.DryRunEvidence;
import io.odoogitops.restore.RestorePoint;
import io.odoogitops.restore.RestorePointEvidence;
import io.odoogitops.restore.RestorePointSignature;
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
 * evidence as {@code restore-point take} wrote it with its signature ({@code <file>.sig}, when there), read on the
 * agent like the dry-run report. The gate checks the signature against {@code restorePointSigners}, as on the CLI.
 *
 * @param dryRunFinishedAt ISO instant; null when unknown (no report, or a build record of this build's odooDryRun
 *     written before the time was kept: the core's rule then accepts no restore point)
 * @param restorePointJson the evidence file's JSON; null when no point was given
 * @param restorePointSignature the armored signature next to the evidence file; null when unsigned
 */
public record RestoreEvidence(boolean restoreRequired, String dryRunFinishedAt, String restorePointJson,
    String restorePointSignature) implements Serializable {

  @Serial
  private static final long serialVersionUID = 2L;

  static final RestoreEvidence NONE = new RestoreEvidence(false, null, null, null);

  public RestoreEvidence {
    restorePointSignature = restorePointJson == null ? null : restorePointSignature;
  }

  /** Facts without a signed point. */
  public RestoreEvidence(boolean restoreRequired, String dryRunFinishedAt, String restorePointJson) {
    this(restoreRequired, dryRunFinishedAt, restorePointJson, null);
  }

  /** The dry-run's part of a report read by the core, and the point's evidence file at {@code point} (or none). */
  static RestoreEvidence read(DryRunEvidence dryRun, String point) {
    RestoreEvidence file = point == null ? NONE : readFile(Path.of(point));
    return new RestoreEvidence(dryRun != null && dryRun.restoreRequired(),
        dryRun == null || dryRun.finishedAt() == null ? null : dryRun.finishedAt().toString(),
        file.restorePointJson(), file.restorePointSignature());
  }

  /** The evidence file and its signature, both checked by the core's readers. */
  private static RestoreEvidence readFile(Path file) {
    return new RestoreEvidence(false, null, RestorePointEvidence.toJson(RestorePointEvidence.read(file)),
        RestorePointSignature.readNextTo(file).orElse(null));
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

  /** The point's signature, when its evidence file had one next to it. */
  Optional<String> signature() {
    return Optional.ofNullable(restorePointSignature);
  }

  /**
   * The evidence file at {@code path} of the workspace and its signature, read and checked on the agent by the
   * core's readers; null when no path is given.
   */
  public static RestoreEvidence readOnAgent(FilePath workspace, String path) throws IOException, InterruptedException {
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
  private static final class ReadEvidence extends MasterToSlaveFileCallable<RestoreEvidence> {
    @Serial
    private static final long serialVersionUID = 2L;

    @Override
    public RestoreEvidence invoke(File file, VirtualChannel channel) {
      return readFile(file.toPath());
    }
  }

  /** These facts with the point of {@code odooPromote}'s own {@code restorePoint}, when it names one. */
  public RestoreEvidence withPoint(String json) {
    return json == null ? this : new RestoreEvidence(restoreRequired, dryRunFinishedAt, json);
  }

  /** These facts with the point and signature {@link #readOnAgent} read, when there is one. */
  public RestoreEvidence withPointOf(RestoreEvidence point) {
    return point == null || point.restorePointJson() == null ? this
        : new RestoreEvidence(restoreRequired, dryRunFinishedAt, point.restorePointJson(),
            point.restorePointSignature());
  }
}
