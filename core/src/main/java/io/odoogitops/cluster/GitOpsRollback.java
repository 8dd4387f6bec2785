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
  private final boolean initiatorClaimed;

  public GitOpsRollback(PromotionEngine engine, String initiator) {
    this(engine, initiator, false);
  }

  /** @param initiatorClaimed whether the initiator is only a claim (the CLI's flag): {@code Initiated-By-Claim} */
  public GitOpsRollback(PromotionEngine engine, String initiator, boolean initiatorClaimed) {
    this.engine = engine;
    this.initiator = initiator;
    this.initiatorClaimed = initiatorClaimed;
  }

  @Override
  public String rollback(String environment, String application, String reason) {
    return engine.rollback(new RollbackRequest(environment, application, null, reason, initiator, null, null,
        initiatorClaimed))
        .commitId();
  }
}
