package io.odoogitops.gitops;

import io.odoogitops.ReleaseException;
import java.util.List;
import java.util.Objects;

/**
 * What a batch of promotions or rollbacks did: landed together as a chain of commits in one push, each item either
 * done (landed, already landed, nothing to change) or refused on the state it would have landed on.
 *
 * @param items one per request, in request order
 * @param head the branch head after the batch: the last commit of the chain, or the fetched head when nothing landed
 * @param attempts how many fetch-edit-push rounds it took (more than one means it raced another promoter)
 */
public record BatchResult(List<Item> items, String head, int attempts) {

  public BatchResult {
    items = List.copyOf(items);
  }

  /**
   * One request of the batch.
   *
   * @param environment the environment the request was for
   * @param result what happened, or null when refused
   * @param refusal why the gate (or the plan) refused it, or null; nothing was committed for it
   */
  public record Item(String environment, PromotionResult result, ReleaseException refusal) {
    public Item {
      Objects.requireNonNull(environment, "environment");
      if ((result == null) == (refusal == null)) {
        throw new IllegalArgumentException("an item has a result or a refusal");
      }
    }

    public boolean refused() {
      return refusal != null;
    }

    /** Whether this batch wrote a commit for it. */
    public boolean landed() {
      return result != null && result.outcome() == PromotionResult.Outcome.LANDED;
    }
  }
}
