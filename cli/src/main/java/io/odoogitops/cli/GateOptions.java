package io.odoogitops.cli;

import io.odoogitops.dryrun.report.JsonReport;
import io.odoogitops.gitops.GateCheck;
import io.odoogitops.policy.ApprovalsFile;
import io.odoogitops.policy.DryRunEvidence;
import io.odoogitops.policy.OverrideRequest;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import picocli.CommandLine.Option;

/**
 * The gate's inputs from the command line, shared by {@code gate check} (asks) and {@code promote}/{@code rollback}
 * (enforce, right before the push). The time is not among them: promote and rollback decide on the real clock, and
 * only {@code gate check} takes a what-if {@code --at}.
 */
public final class GateOptions {

  @Option(names = "--source-author", paramLabel = "USER",
      description = "Author of the source revision the image was built from (barred from approving).")
  String sourceAuthor;

  @Option(names = "--approvals", paramLabel = "FILE",
      description = "Votes: a JSON or YAML list of {voter, environment, application, digest, at, vote[, scope]}.")
  Path approvals;

  @Option(names = "--dry-run-report", paramLabel = "FILE",
      description = "The dry-run.json of 'odoo-gitops dry-run' for this digest; its SHA-256 goes in the trailer.")
  Path dryRunReport;

  @Option(names = "--override-justification", paramLabel = "TEXT",
      description = "Request an emergency override of active freezes, with this justification.")
  String overrideJustification;

  GateCheck.Inputs inputs() {
    List<io.odoogitops.policy.Approval> votes = approvals == null ? List.of()
        : ApprovalsFile.read(PolicyConfigOption.read(approvals, "approvals"), approvals.toString());
    return new GateCheck.Inputs(sourceAuthor, votes,
        Optional.ofNullable(dryRunReport).map(GateOptions::dryRunEvidence),
        Optional.ofNullable(overrideJustification).map(OverrideRequest::new));
  }

  /**
   * The gate deciding at {@code when}: the real clock for promote and rollback (no flag moves it), a what-if time
   * for {@code gate check --at}.
   */
  GateCheck check(Function<ZoneId, Instant> when) {
    return new GateCheck(inputs(), when, io.odoogitops.policy.ConfigGroupDirectory::of);
  }

  static DryRunEvidence dryRunEvidence(Path file) {
    return JsonReport.evidence(file);
  }
}
