package io.odoogitops.cluster;

import io.odoogitops.ReleaseException;
import java.util.Locale;
import java.util.Objects;

/**
 * The workload that runs the Odoo image, written like kubectl does: {@code deployment/odoo} or
 * {@code statefulset/odoo}.
 */
public record WorkloadRef(Kind kind, String name) {

  /** The workload kinds whose rollout we know how to judge. */
  public enum Kind {
    DEPLOYMENT("deployment"),
    STATEFULSET("statefulset");

    private final String word;

    Kind(String word) {
      this.word = word;
    }

    public String word() {
      return word;
    }
  }

  public WorkloadRef {
    Objects.requireNonNull(kind, "kind");
    KubernetesNames.requireDnsName(name, "workload name");
  }

  /** Parses {@code kind/name}; the kind is case-insensitive and also accepts kubectl's short forms deploy and sts. */
  public static WorkloadRef parse(String text) {
    if (text == null || text.indexOf('/') < 0) {
      throw ReleaseException.badInput("workload '" + text + "' must be written kind/name, e.g. deployment/odoo or "
          + "statefulset/odoo");
    }
    String kindWord = text.substring(0, text.indexOf('/')).toLowerCase(Locale.ROOT);
    String name = text.substring(text.indexOf('/') + 1);
    Kind kind = switch (kindWord) {
      case "deployment", "deployments", "deploy" -> Kind.DEPLOYMENT;
      case "statefulset", "statefulsets", "sts" -> Kind.STATEFULSET;
      default -> throw ReleaseException.badInput("workload kind '" + kindWord + "' in '" + text
          + "' is not supported; use deployment/NAME or statefulset/NAME");
    };
    return new WorkloadRef(kind, name);
  }

  @Override
  public String toString() {
    return kind.word() + "/" + name;
  }
}
