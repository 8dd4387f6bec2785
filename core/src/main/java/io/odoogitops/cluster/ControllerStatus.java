package io.odoogitops.cluster;

import java.util.List;

/**
 * What the GitOps controller said about the commit at one poll.
 *
 * @param controller which controller object this is, e.g. "argo application argocd/odoo-prod"
 * @param revision the revision it last applied (Argo: {@code status.sync.revision}, Flux:
 *     {@code status.lastAppliedRevision})
 * @param sync Argo's sync status (Synced, OutOfSync) or Flux's Ready condition status
 * @param health Argo's health status (Healthy, Progressing, Degraded) or Flux's Ready reason
 * @param phase how far the commit got
 * @param detail why, in one line, when it failed; otherwise {@code null}
 * @param conditions the controller object's conditions as seen
 */
public record ControllerStatus(
    String controller,
    String revision,
    String sync,
    String health,
    Phase phase,
    String detail,
    List<Condition> conditions) {

  /** How far the commit got with the controller. */
  public enum Phase {
    /** Not applied yet (or applied but not yet healthy); keep waiting. */
    PENDING,
    /** Applied and reported healthy. */
    APPLIED,
    /** The controller applied or tried the commit and reports a failure that waiting will not fix. */
    FAILED
  }

  public ControllerStatus {
    conditions = conditions == null ? List.of() : List.copyOf(conditions);
  }

  /** One line for progress output. */
  public String summary() {
    return controller + ": " + sync + "/" + health + " at " + (revision == null ? "no revision yet" : revision);
  }
}
