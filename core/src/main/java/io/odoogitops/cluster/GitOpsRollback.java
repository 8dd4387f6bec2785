package io.odoogitops.cluster;

import io.odoogitops.ReleaseException;
import io.odoogitops.gitops.PromotionEngine;
import io.odoogitops.gitops.RestoreRequired;
import io.odoogitops.gitops.RollbackRequest;
import java.util.function.Function;

/**
 * The automatic rollback after a failed verification: the GitOps engine's one-step rollback, recorded with the reason
 * the verifier gives ({@code verification-failed}) and who asked for it. It never rolls back only the image of a
 * release whose dry-run said RESTORE_REQUIRED: automation cannot restore a database, so it reports the restore plan
 * and leaves the decision to a person.
 */
public final class GitOpsRollback implements RollbackTrigger {

  private final PromotionEngine engine;
  private final String initiator;
  private final boolean initiatorClaimed;
  private final Function<RestoreRequired, String> restorePlan;

  public GitOpsRollback(PromotionEngine engine, String initiator) {
    this(engine, initiator, false);
  }

  /** @param initiatorClaimed whether the initiator is only a claim (the CLI's flag): {@code Initiated-By-Claim} */
  public GitOpsRollback(PromotionEngine engine, String initiator, boolean initiatorClaimed) {
    this(engine, initiator, initiatorClaimed, RestoreRequired::planCommand);
  }

  /**
   * @param restorePlan the restore plan's text for a refused rollback of a RESTORE_REQUIRED release (the CLI plans
   *     it with the cluster it verifies); by default the command that prints it
   */
  public GitOpsRollback(PromotionEngine engine, String initiator, boolean initiatorClaimed,
      Function<RestoreRequired, String> restorePlan) {
    this.engine = engine;
    this.initiator = initiator;
    this.initiatorClaimed = initiatorClaimed;
    this.restorePlan = restorePlan;
  }

  @Override
  public String rollback(String environment, String application, String reason) {
    try {
      return engine.rollback(RollbackRequest.builder(environment, application).reason(reason)
          .initiator(initiator, initiatorClaimed).build()).commitId();
    } catch (RestoreRequired e) {
      throw ReleaseException.refused("no automatic rollback: " + e.getMessage() + "\n" + restorePlan.apply(e));
    }
  }
}
