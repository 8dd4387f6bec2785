package io.odoogitops.jenkins.gate;

import hudson.model.TaskListener;
import io.odoogitops.ImageDigest;
import io.odoogitops.ReleaseException;
import io.odoogitops.config.ReleaseConfig;
import io.odoogitops.dryrun.report.JsonReport;
import io.odoogitops.gitops.Holds;
import io.odoogitops.gitops.Snapshot;
import io.odoogitops.jenkins.dryrun.DryRunAction;
import io.odoogitops.jenkins.repository.GitOpsAccess;
import io.odoogitops.jenkins.repository.GitOpsCallable;
import io.odoogitops.jenkins.repository.Session;
import io.odoogitops.policy.ConfigGroupDirectory;
import io.odoogitops.policy.DryRunEvidence;
import io.odoogitops.policy.ReleasePolicy;
import io.odoogitops.policy.RepositoryFiles;
import java.io.Serial;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the gate decides on, gathered once on the agent when the gate opens: the policy file at the GitOps branch head
 * (kept verbatim with the build, so every later evaluation uses the same rules), the digests already promoted to the
 * upstream environment, the holds in force, and the dry-run report's verdict and hash.
 *
 * @param upstreamDigests null when the environment has no {@code promoteFrom}
 * @param dryRunVerdict null when no report was given
 * @param dryRunSignature the check of the report's {@code .sig} file; null when it has none (or the verdict is this
 *     build's odooDryRun's)
 * @param policyFiles the files the policy names (an {@code allowedSigners} file), by repository path, as the policy
 *     reads them at {@code policyCommit}
 * @param holds the holds in force at {@code policyCommit} on the application in the environment; null when not read
 */
record GateInputs(String policyYaml, String policyCommit, String upstreamEnvironment, List<String> upstreamDigests,
    String dryRunDigest, String dryRunVerdict, String dryRunReportSha256, DryRunSignature dryRunSignature,
    Map<String, String> policyFiles, RestoreEvidence restore, List<GateHold> holds) implements Serializable {

  @Serial
  private static final long serialVersionUID = 1L;

  GateInputs {
    policyFiles = policyFiles == null ? new HashMap<>() : new HashMap<>(policyFiles);
    restore = restore == null ? RestoreEvidence.NONE : restore;
    holds = holds == null ? null : new ArrayList<>(holds);
  }

  /** Inputs without the holds (the gate's {@code hold} rule then does not apply). */
  GateInputs(String policyYaml, String policyCommit, String upstreamEnvironment, List<String> upstreamDigests,
      String dryRunDigest, String dryRunVerdict, String dryRunReportSha256, DryRunSignature dryRunSignature,
      Map<String, String> policyFiles, RestoreEvidence restore) {
    this(policyYaml, policyCommit, upstreamEnvironment, upstreamDigests, dryRunDigest, dryRunVerdict,
        dryRunReportSha256, dryRunSignature, policyFiles, restore, null);
  }

  /** Inputs without restore point facts. */
  GateInputs(String policyYaml, String policyCommit, String upstreamEnvironment, List<String> upstreamDigests,
      String dryRunDigest, String dryRunVerdict, String dryRunReportSha256, DryRunSignature dryRunSignature,
      Map<String, String> policyFiles) {
    this(policyYaml, policyCommit, upstreamEnvironment, upstreamDigests, dryRunDigest, dryRunVerdict,
        dryRunReportSha256, dryRunSignature, policyFiles, RestoreEvidence.NONE);
  }

  /** These inputs with the verdict of {@code dryRun}, this build's odooDryRun, when it tested the same digest. */
  GateInputs withDryRunOf(DryRunAction dryRun) {
    if (dryRun == null || dryRun.getImageDigest() == null) {
      return this;
    }
    return new GateInputs(policyYaml, policyCommit, upstreamEnvironment, upstreamDigests, dryRun.getImageDigest(),
        dryRun.getVerdict(), dryRun.getReportSha256(), null, policyFiles,
        RestoreEvidence.of(dryRun).withPointOf(restore), holds);
  }

  /** How far back the upstream history is read; promotions older than this are not evidence for a new one. */
  static final int UPSTREAM_HISTORY = 500;

  /** Runs on the agent. */
  static final class Gather extends GitOpsCallable<GateInputs> {

    @Serial
    private static final long serialVersionUID = 1L;

    private final String environment;
    private final String application;
    private final String dryRunReport;
    private final String restorePoint;

    Gather(GitOpsAccess access, TaskListener listener, String environment, String application, String dryRunReport) {
      this(access, listener, environment, application, dryRunReport, null);
    }

    /** @param restorePoint the restore point's evidence file on the agent; null: none */
    Gather(GitOpsAccess access, TaskListener listener, String environment, String application, String dryRunReport,
        String restorePoint) {
      super(access, listener);
      this.environment = environment;
      this.application = application;
      this.dryRunReport = dryRunReport;
      this.restorePoint = restorePoint;
    }

    @Override
    protected GateInputs work(Session session) {
      Snapshot head = session.fetchHead(environment);
      ReleaseConfig config = head.config();
      // As the policy reads it: under a trust root, its newest version a policy admin signed
      byte[] yaml = head.policyFiles().read(ReleaseConfig.FILE_NAME).orElseThrow(() -> ReleaseException.badInput(
          ReleaseConfig.FILE_NAME + " is missing at the root of the GitOps repository"));
      Map<String, String> files = policyFiles(head, config);
      config.application(application);
      String upstream = config.environment(environment).promoteFrom();
      List<String> digests = upstream == null ? null : digestsRunIn(session, upstream);
      // The core's own reader: digest, verdict and hash of the exact bytes, and the check of dry-run.json.sig
      DryRunEvidence dryRun = dryRunReport == null ? null : JsonReport.evidence(Path.of(dryRunReport));
      RestoreEvidence restore = RestoreEvidence.read(dryRun, restorePoint);
      // At the head whose policy the gate decides on, as the core's GateCheck reads them when the promotion lands
      List<GateHold> holds = GateHold.of(Holds.read(head, environment, application).evidence(environment,
          application));
      return dryRun == null
          ? new GateInputs(new String(yaml, StandardCharsets.UTF_8), head.commitId(), upstream, digests, null, null,
              null, null, files, restore, holds)
          : new GateInputs(new String(yaml, StandardCharsets.UTF_8), head.commitId(), upstream, digests,
              dryRun.digest().value(), dryRun.verdict().name(), dryRun.reportSha256(), DryRunSignature.of(dryRun.signature()),
              files, restore, holds);
    }

    /**
     * The files the policy reads besides itself (an {@code allowedSigners} file), read once here through the core's
     * own resolution, which also checks them: the gate page then decides on exactly these bytes.
     */
    private static Map<String, String> policyFiles(Snapshot head, ReleaseConfig config) {
      Map<String, String> read = new HashMap<>();
      RepositoryFiles files = head.policyFiles();
      ReleasePolicy.of(config, ConfigGroupDirectory.of(config), path -> {
        Optional<byte[]> bytes = files.read(path);
        bytes.ifPresent(b -> read.put(path, new String(b, StandardCharsets.UTF_8)));
        return bytes;
      }).allowedSigners();
      return read;
    }

    /** What the upstream environment has run, as the core's GateCheck counts it: its history and its current digest. */
    private List<String> digestsRunIn(Session session, String upstream) {
      Set<String> digests = new LinkedHashSet<>();
      // Only sanctioned entries: a commit whose trailers do not match its manifests never ran there.
      session.engine().queries().history(upstream, application, UPSTREAM_HISTORY).stream().filter(e -> e.sanctioned())
          .filter(e -> e.digest() != null).forEach(e -> digests.add(e.digest().value()));
      ImageDigest current = session.engine().queries().current(upstream, application).digest();
      if (current != null) {
        digests.add(current.value());
      }
      return new ArrayList<>(digests);
    }
  }
}
