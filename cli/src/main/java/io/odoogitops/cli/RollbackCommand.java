package io.odoogitops.cli;

import io.odoogitops.gitops.GateCheck;
import io.odoogitops.gitops.GitOpsRepository;
import io.odoogitops.gitops.PromotionResult;
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
        "or an explicit earlier one with --to. Allowed during freezes."})
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

  @Override
  public Integer call() {
    try (GitOpsRepository repo = repository.open()) {
      GateCheck check = gate.check(zone -> audit.clock().instant(), null);
      PromotionResult result = audit.engine(repo, spec, check).rollback(new RollbackRequest(environment, application, to,
          audit.reason, audit.initiator(), audit.buildUrl, promotionId, true));
      output.print(spec.commandLine().getOut(), Results.json(result, check), Results.describe(result, check));
      return 0;
    }
  }
}
