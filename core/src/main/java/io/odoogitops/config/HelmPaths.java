package io.odoogitops.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Dotted YAML paths of a Helm values file. Charts disagree on where the image lives, so every part is configurable;
 * a {@code null} part is not written (a chart without a digest field gets {@code tag: "1.0@sha256:…"} instead).
 *
 * @param registry where the registry host lives when the chart keeps it apart from the repository (the Bitnami
 *     charts' {@code image.registry}); {@code null} (the default) when the repository field holds the whole name
 */
public record HelmPaths(
    @JsonProperty("registry") String registry,
    @JsonProperty("repository") String repository,
    @JsonProperty("tag") String tag,
    @JsonProperty("digest") String digest) {

  private static final String DEFAULT_REPOSITORY = "image.repository";
  private static final String DEFAULT_TAG = "image.tag";
  private static final String DEFAULT_DIGEST = "image.digest";

  public static final HelmPaths DEFAULT = new HelmPaths(null, null, null, null);

  public HelmPaths {
    registry = registry == null ? null : blankToNull(registry);
    repository = repository == null ? DEFAULT_REPOSITORY : blankToNull(repository);
    tag = tag == null ? DEFAULT_TAG : blankToNull(tag);
    digest = digest == null ? DEFAULT_DIGEST : blankToNull(digest);
  }

  private static String blankToNull(String s) {
    return s.isBlank() ? null : s;
  }
}
