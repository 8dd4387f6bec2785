package io.odoogitops.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Image automation that writes the environment's files (Flux image update automation markers in its manifests,
 * argocd-image-updater annotations on its Argo CD Application), and whether a rollback pins it so the automation
 * cannot promote past the hold the rollback sets (docs/policy.md, Holds).
 *
 * @param pinOnRollback pin every marker and annotation found in the rollback commit itself (default false: the
 *     rollback only warns)
 * @param argocdApplication the file of the environment's Argo CD Application in the GitOps repository, relative to its
 *     root, when argocd-image-updater annotations on it should be found; null: none
 */
public record AutomationSpec(
    @JsonProperty("pinOnRollback") Boolean pinOnRollback,
    @JsonProperty("argocdApplication") String argocdApplication) {

  public AutomationSpec {
    pinOnRollback = Boolean.TRUE.equals(pinOnRollback);
  }

  /** The Application file normalized, or null. */
  public String applicationFile() {
    return argocdApplication == null ? null : RepoPath.normalize(argocdApplication);
  }

  void validate(String at, ConfigProblems problems) {
    if (argocdApplication != null) {
      RepoPath.problem(argocdApplication).ifPresent(p -> problems.at(at + "/argocdApplication", p));
    }
  }
}
