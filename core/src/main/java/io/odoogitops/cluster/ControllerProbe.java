package io.odoogitops.cluster;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/**
 * Reads one kind of GitOps controller object through the generic resource API, so that no CRD model jar is needed:
 * only the group, version and plural of the resource, and the meaning of a few status fields.
 */
sealed interface ControllerProbe permits ArgoApplicationProbe, FluxKustomizationProbe {

  ControllerRef ref();

  ResourceDefinitionContext resource();

  /** What to tell a user whose cluster does not serve {@link #resource()}. */
  String installHint();

  /** Judges the controller object's status against the commit that should be applied. */
  ControllerStatus interpret(GenericKubernetesResource object, String commit);

  static ControllerProbe of(ControllerRef ref) {
    return switch (ref.kind()) {
      case ARGO_CD -> new ArgoApplicationProbe(ref);
      case FLUX -> new FluxKustomizationProbe(ref);
    };
  }

  /**
   * A commit reference matches a revision when the revision contains it; this covers Argo's full SHA, Flux's
   * {@code main@sha1:<sha>} and the legacy {@code main/<sha>}, and lets the user pass an abbreviated SHA.
   */
  static boolean names(String revision, String commit) {
    return revision != null && commit != null && revision.toLowerCase(java.util.Locale.ROOT).contains(commit);
  }

  /**
   * The full commit id in a revision as controllers report it (Argo's SHA, Flux's {@code main@sha1:<sha>} or
   * {@code main/<sha>}, SHA-1 or SHA-256), or null when it names none (a Helm chart version, nothing yet).
   */
  static String commitOf(String revision) {
    if (revision == null) {
      return null;
    }
    java.util.regex.Matcher m = FULL_COMMIT.matcher(revision.toLowerCase(java.util.Locale.ROOT));
    String found = null;
    while (m.find()) {
      found = m.group(1);
    }
    return found;
  }

  /** A whole SHA-1 or SHA-256 commit id, not part of a longer hex run. */
  java.util.regex.Pattern FULL_COMMIT = java.util.regex.Pattern.compile(
      "(?<![0-9a-f])([0-9a-f]{64}|[0-9a-f]{40})(?![0-9a-f])");
}
