package io.odoogitops.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How an environment's manifests say which image runs. */
public enum Layout {
  /** {@code kustomization.yaml} with an {@code images:} entry (newName/newTag/digest). */
  KUSTOMIZE("kustomization.yaml"),
  /** A Helm values file with configurable paths for repository, tag and digest. */
  HELM("values.yaml"),
  /** Plain manifests: the image of a named container in Deployments, StatefulSets, Jobs, CronJobs. */
  MANIFEST(null);

  private final String defaultFile;

  Layout(String defaultFile) {
    this.defaultFile = defaultFile;
  }

  /** File edited when the environment names none; {@code null} means every YAML file under the path. */
  public String defaultFile() {
    return defaultFile;
  }

  @JsonValue
  public String yamlName() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static Layout parse(String text) {
    for (Layout layout : values()) {
      if (layout.yamlName().equals(text)) {
        return layout;
      }
    }
    throw new IllegalArgumentException("unknown layout '" + text + "'; use one of "
        + Arrays.stream(values()).map(Layout::yamlName).collect(Collectors.joining(", ")));
  }
}
