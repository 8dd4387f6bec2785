package io.odoogitops.cli;

import io.odoogitops.ImageDigest;
import io.odoogitops.gitops.GitOpsRepository;
import io.odoogitops.gitops.Hold;
import io.odoogitops.gitops.HoldReleaseRequest;
import io.odoogitops.gitops.Holds;
import io.odoogitops.gitops.LandingCheck;
import io.odoogitops.gitops.ReleaseQueries;
import io.odoogitops.gitops.PromotionResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code odoo-gitops hold}: the digests rollbacks hold, and lifting a hold on purpose. */
@Command(name = "hold", description = "Holds: a rollback holds the digest it took away until a newer digest is"
    + " promoted or the hold is released.",
    subcommands = {HoldCommand.Release.class, HoldCommand.ListHolds.class})
public final class HoldCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "name a subcommand: release or list");
  }

  /** {@code hold release}: one commit that lifts the hold and restores the automation its rollback pinned. */
  @Command(name = "release", description = {"Lift the hold a rollback set on a digest, in its own commit (signed"
      + " under a trust root), restoring the image automation markers that rollback pinned.",
      "Idempotent: a hold already released is not released again."})
  static final class Release implements Callable<Integer> {

    @Spec CommandSpec spec;
    @Mixin RepositoryOptions repository;
    @Mixin OutputOptions output;
    @Mixin AuditOptions audit;

    @Option(names = "--env", required = true, paramLabel = "ENV", description = "Environment.")
    String environment;

    @Option(names = "--app", required = true, paramLabel = "APP", description = "Application.")
    String application;

    @Option(names = "--digest", required = true, paramLabel = "sha256:HEX", converter = ImageConverters.Digest.class,
        description = "The held digest.")
    ImageDigest digest;

    @Option(names = {"--release-id", "--promotion-id"}, paramLabel = "ID",
        description = "Idempotency key of the release (default: generated); a retry with the same id never lands"
            + " twice. --promotion-id is the same flag, as a failed push's message names it.")
    String releaseId;

    @Override
    public Integer call() {
      try (GitOpsRepository repo = repository.open()) {
        PromotionResult result = audit.engine(repo, spec, LandingCheck.NONE).releaseHold(new HoldReleaseRequest(
            environment, application, digest, audit.reason, audit.initiator(), true, audit.buildUrl, releaseId));
        String text = result.message() + (result.outcome() == PromotionResult.Outcome.LANDED
            ? "\n  commit " + result.commitId() + "\n  release id " + result.promotionId() : "");
        output.print(spec.commandLine().getOut(), result, text);
        return 0;
      }
    }
  }

  /** {@code hold list}: the holds in force, read from the GitOps history at the branch head. */
  @Command(name = "list", description = "The holds in force on an environment's applications, read from the GitOps"
      + " history at the branch head.")
  static final class ListHolds implements Callable<Integer> {

    @Spec CommandSpec spec;
    @Mixin RepositoryOptions repository;
    @Mixin OutputOptions output;

    @Option(names = "--env", required = true, paramLabel = "ENV", description = "Environment.")
    String environment;

    @Option(names = "--app", paramLabel = "APP", description = "Only this application (default: every one).")
    String application;

    /** The JSON shape: the holds in force and the release commits that do not count. */
    record HoldsJson(String environment, List<Hold> holds, List<String> notices) {}

    @Override
    public Integer call() {
      HoldsJson found;
      try (GitOpsRepository repo = repository.open()) {
        found = ReleaseQueries.of(repo).atHead(snapshot -> {
          List<String> apps = application != null ? List.of(application)
              : List.copyOf(snapshot.config().applications().keySet());
          snapshot.config().environment(environment);
          List<Hold> holds = new ArrayList<>();
          List<String> notices = new ArrayList<>();
          for (String app : apps) {
            Holds.State state = Holds.read(snapshot, environment, app);
            holds.addAll(state.active());
            notices.addAll(state.notices());
          }
          return new HoldsJson(environment, holds, notices);
        });
      }
      output.print(spec.commandLine().getOut(), found, text(found));
      return 0;
    }

    static String text(HoldsJson found) {
      StringBuilder out = new StringBuilder();
      if (found.holds().isEmpty()) {
        out.append("no holds in ").append(found.environment());
      }
      for (Hold h : found.holds()) {
        out.append(h.application()).append(" in ").append(h.environment()).append(": ").append(h.digest())
            .append(" held since ").append(h.since()).append(" by rollback ").append(h.rollbackCommit(), 0, 12)
            .append(h.initiator() == null ? "" : " (" + h.initiator() + ")").append("\n  release: ")
            .append(h.releaseCommand()).append('\n');
      }
      found.notices().forEach(n -> out.append("note: ").append(n).append('\n'));
      return out.toString().stripTrailing();
    }
  }
}
