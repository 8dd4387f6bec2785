package io.odoogitops.cluster;

import io.odoogitops.gitops.PromotionEngine;
import io.odoogitops.gitops.RollbackRequest;

/**
 * The automatic rollback after a failed verification: the GitOps engine's one-step rollback, recorded with the reason
 * the verifier gives ({@code verification-failed}) and who asked for it.
 */
public final class GitOpsRollback implements RollbackTrigger {

  private final PromotionEngine engine;
  private final String initiator;

  public GitOpsRollback(PromotionEngine engine, String initiator) {
    this.engine = engine;
    this.initiator = initiator;
  }

  @Override
  public String rollback(String environment, String application, String reason) {
    return engine.rollback(new RollbackRequest(environment, application, null, reason, initiator, null, null))
        .commitId();
  }
}
