package io.odoogitops.cli;

import io.odoogitops.gitops.GateCheck;
import io.odoogitops.gitops.GitOpsRepository;
import io.odoogitops.gitops.PromotionEngine;
import io.odoogitops.gitops.PromotionResult;
import io.odoogitops.gitops.RestoreRequired;
import io.odoogitops.gitops.RollbackRequest;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code odoo-gitops rollback}: restore the previous good digest, in one step, with or without Jenkins. */
@Command(name = "rollback",
    description = {"Restore the digest that ran before the current one (skipping rolled-back promotions),",
        "or an explicit earlier one with --to. Allowed during freezes.",
        "A release whose dry-run said RESTORE_REQUIRED is refused (exit 1, with the restore plan) unless",
        "--restored-database switches to the restored database, or --image-only --justification fixes forward."})
public final class RollbackCommand implements Callable<Integer> {

  @Spec CommandSpec spec;
  @Mixin RepositoryOptions repository;
  @Mixin OutputOptions output;
  @Mixin AuditOptions audit;
  @Mixin GateOptions gate;

  @Option(names = "--env", required = true, paramLabel = "ENV", description = "Environment to roll back.")
  String environment;

  @Option(names = "--app", required = true, paramLabel = "APP", description = "Application to roll back.")
  String application;

  @Option(names = "--to", paramLabel = "DIGEST|PROMOTION-ID",
      description = "Explicit target; must be in the environment's history.")
  String to;

  @Option(names = "--promotion-id", paramLabel = "ID", description = "Idempotency key of the rollback itself.")
  String promotionId;

  @Option(names = "--restored-database", paramLabel = "NAME",
      description = "The database restored from the release's restore point: switch the environment to it"
          + " (restore.switch in odoo-gitops.yaml) in the same commit as the old digest.")
  String restoredDatabase;

  @Option(names = "--image-only",
      description = "Roll back only the image of a RESTORE_REQUIRED release (fix forward); needs --justification.")
  boolean imageOnly;

  @Option(names = "--justification", paramLabel = "TEXT",
      description = "Why the image alone goes back (with --image-only); recorded in the commit.")
  String justification;

  @Mixin ClusterConnectionOptions cluster;

  @Override
  public Integer call() {
    RollbackRequest request = RollbackRequest.builder(environment, application).to(to).reason(audit.reason)
        .initiatorClaim(audit.initiator()).buildUrl(audit.buildUrl).promotionId(promotionId)
        .imageOnly(imageOnly, justification).restoredDatabase(restoredDatabase).build();
    try (GitOpsRepository repo = repository.open()) {
      GateCheck check = gate.check(zone -> audit.clock().instant(), null);
      PromotionEngine engine = audit.engine(repo, spec, check);
      PromotionResult result;
      try {
        result = engine.rollback(request);
      } catch (RestoreRequired refusal) {
        try (RestorePointCommand.LazyCluster client = new RestorePointCommand.LazyCluster(cluster)) {
          throw refusal.withPlan(RestorePlans.text(refusal, engine.queries().config().environment(environment),
              client));
        }
      }
      output.print(spec.commandLine().getOut(), Results.json(result), Results.describe(result));
      return 0;
    }
  }
}
