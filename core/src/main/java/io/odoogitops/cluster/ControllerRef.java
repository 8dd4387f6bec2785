package io.odoogitops.cluster;

import java.util.Objects;

/**
 * The GitOps controller object that applies an environment's manifests: an Argo CD {@code Application} or a Flux
 * {@code Kustomization}, with the namespace it lives in (usually {@code argocd} or {@code flux-system}, not the
 * namespace of the workload).
 */
public record ControllerRef(Kind kind, String name, String namespace) {

  public enum Kind {
    ARGO_CD,
    FLUX
  }

  public ControllerRef {
    Objects.requireNonNull(kind, "kind");
    KubernetesNames.requireDnsName(name, kind == Kind.ARGO_CD ? "argo application" : "flux kustomization");
    KubernetesNames.requireDnsName(namespace, "namespace of " + name);
  }

  public static ControllerRef argoApplication(String name, String namespace) {
    return new ControllerRef(Kind.ARGO_CD, name, namespace == null ? "argocd" : namespace);
  }

  public static ControllerRef fluxKustomization(String name, String namespace) {
    return new ControllerRef(Kind.FLUX, name, namespace == null ? "flux-system" : namespace);
  }

  @Override
  public String toString() {
    return (kind == Kind.ARGO_CD ? "argo application " : "flux kustomization ") + namespace + "/" + name;
  }
}
