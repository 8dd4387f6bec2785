package io.odoogitops.cli;

import io.odoogitops.gitops.GateCheck;
import io.odoogitops.gitops.GitOpsRepository;
import io.odoogitops.gitops.ImageRef;
import io.odoogitops.gitops.Promotion;
import io.odoogitops.gitops.PromotionEngine;
import io.odoogitops.gitops.PromotionResult;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code odoo-gitops promote}: one commit in the GitOps repository pointing an environment at a digest. */
@Command(name = "promote", mixinStandardHelpOptions = true,
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

  @Option(names = "--image", required = true, paramLabel = "REF",
      description = "Image pinned by digest: repository[:tag]@sha256:<digest>.")
  String image;

  @Option(names = "--promotion-id", paramLabel = "ID",
      description = "Idempotency key; reuse it to retry safely (default: generated).")
  String promotionId;

  @Option(names = "--source-revision", paramLabel = "SHA", defaultValue = "${env:GIT_COMMIT}",
      description = "Module repository commit the image was built from. Env: GIT_COMMIT.")
  String sourceRevision;

  @Override
  public Integer call() {
    ImageRef ref = ImageRef.parse(image);
    try (GitOpsRepository repo = repository.open()) {
      GateCheck check = gate.check();
      PromotionEngine engine = audit.engine(repo, spec, check);
      PromotionResult result = engine.promote(Promotion.builder(environment, application, ref)
          .promotionId(promotionId)
          .reason(audit.reason)
          .initiator(audit.initiator())
          .sourceRevision(sourceRevision)
          .buildUrl(audit.buildUrl)
          .build());
      output.print(spec.commandLine().getOut(), Results.json(result, check), Results.describe(result, check));
      return 0;
    }
  }
}
