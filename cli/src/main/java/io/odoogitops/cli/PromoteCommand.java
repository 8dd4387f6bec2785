package io.odoogitops.cli;

import io.odoogitops.ImageRef;
import io.odoogitops.ReleaseException;
import io.odoogitops.cluster.ClusterTarget;
import io.odoogitops.cluster.LaterRevisions;
import io.odoogitops.cluster.GitOpsRollback;
import io.odoogitops.cluster.VerificationReport;
import io.odoogitops.cluster.VerificationRequest;
import io.odoogitops.config.ClusterSpec;
import io.odoogitops.gitops.GateCheck;
import io.odoogitops.gitops.GitOpsRepository;
import io.odoogitops.gitops.Promotion;
import io.odoogitops.gitops.PromotionEngine;
import io.odoogitops.gitops.PromotionResult;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code odoo-gitops promote}: one commit in the GitOps repository pointing an environment at a digest. */
@Command(name = "promote",
    description = {"Point an environment at an image digest with one commit in the GitOps repository.",
        "Racing promotions are replayed on the new head; a promotion id never lands twice."})
public final class PromoteCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin RepositoryOptions repository;
  @Mixin OutputOptions output;
  @Mixin AuditOptions audit;
  @Mixin GateOptions gate;

  @Option(names = "--env", required = true, paramLabel = "ENV", description = "Target environment.")
  String environment;

  @Option(names = "--app", required = true, paramLabel = "APP", description = "Application whose image changes.")
  String application;

  @Option(names = "--image", required = true, paramLabel = "REF", converter = ImageConverters.Pinned.class,
      description = "Image pinned by digest: repository[:tag]@sha256:<digest>.")
  ImageRef image;

  @Option(names = "--promotion-id", paramLabel = "ID",
      description = "Idempotency key; reuse it to retry safely (default: generated).")
  String promotionId;

  @Option(names = "--source-revision", paramLabel = "SHA", defaultValue = "${env:GIT_COMMIT}",
      description = "Module repository commit the image was built from. Env: GIT_COMMIT.")
  String sourceRevision;

  @Option(names = "--verify",
      description = "After the commit lands, wait until the cluster runs it (the environment's cluster block).")
  boolean verify;

  @Option(names = "--auto-rollback",
      description = "With --verify: roll back in one step if verification fails (default: the cluster block's).")
  Boolean autoRollback;

  @Mixin ClusterConnectionOptions cluster;

  @Override
  public Integer call() {
    ImageRef ref = image;
    if (autoRollback != null && !verify) {
      throw ReleaseException.badInput("--auto-rollback only applies with --verify");
    }
    try (GitOpsRepository repo = repository.open()) {
      GateCheck check = gate.check(zone -> audit.clock().instant(), sourceRevision);
      PromotionEngine engine = audit.engine(repo, spec, check);
      // Check the cluster target before anything is written: a promotion must not land and then fail on a typo.
      ClusterTarget target = null;
      boolean rollback = false;
      if (verify) {
        ClusterSpec clusterSpec = ClusterCheck.clusterOf(engine.queries().config().environment(environment));
        target = ClusterTarget.from(clusterSpec).build();
        rollback = autoRollback != null ? autoRollback : clusterSpec.autoRollback();
      }
      PromotionResult result = engine.promote(Promotion.builder(environment, application, ref)
          .promotionId(promotionId)
          .reason(audit.reason)
          .initiatorClaim(audit.initiator())
          .sourceRevision(sourceRevision)
          .buildUrl(audit.buildUrl)
          .build());
      PrintWriter out = spec.commandLine().getOut();
      if (target == null || result.commitId() == null) {
        output.print(out, Results.json(result, null), Results.describe(result)
            + (target == null ? "" : "\n  nothing was committed, so there is nothing to verify"));
        return 0;
      }
      VerificationReport report = ClusterCheck.run(cluster, target,
          new VerificationRequest(environment, application, result.commitId(), ref.digest(), rollback),
          rollback ? autoRollback(engine) : null, LaterRevisions.of(engine.queries()), spec.commandLine().getErr());
      output.print(out, Results.json(result, report), Results.describe(result) + "\n"
          + report.humanText());
      return report.verified() ? 0 : Main.REFUSED;
    }
  }

  /** The automatic rollback; for a RESTORE_REQUIRED release it reports the restore plan instead. */
  private GitOpsRollback autoRollback(PromotionEngine engine) {
    return new GitOpsRollback(engine, audit.initiator(), true, refusal -> {
      try (RestorePointCommand.LazyCluster client = new RestorePointCommand.LazyCluster(cluster)) {
        return RestorePlans.text(refusal, engine.queries().config().environment(environment), client);
      }
    });
  }
}
