package io.odoogitops.policy;

import io.odoogitops.ImageDigest;
import io.odoogitops.config.ConfigLoader;
import io.odoogitops.config.ReleaseConfig;
import java.nio.charset.StandardCharsets;

/** Loads configurations the way users write them, through the real loader and its validation. */
final class TestConfigs {

  static final ImageDigest DIGEST = new ImageDigest("sha256:" + "a".repeat(64));
  static final ImageDigest OTHER_DIGEST = new ImageDigest("sha256:" + "b".repeat(64));

  private TestConfigs() {}

  /** A file with one application {@code odoo} and the given top-level YAML (environments, calendars, ...). */
  static ReleaseConfig load(String yaml) {
    String text = "applications:\n  odoo: { image: registry.example.com/acme/odoo }\n" + yaml;
    return ConfigLoader.load(text.getBytes(StandardCharsets.UTF_8), "odoo-gitops.yaml");
  }

  /** A policy whose environment {@code production} has the given freeze entries (YAML list items). */
  static ReleasePolicy freezes(String zone, String calendars, String freezeItems) {
    return ReleasePolicy.of(load("timeZone: " + zone + "\n"
        + (calendars.isEmpty() ? "" : "calendars:\n" + calendars.indent(2))
        + "environments:\n"
        + "  production:\n"
        + "    path: envs/production\n"
        + "    layout: kustomize\n"
        + "    freeze:\n" + freezeItems.indent(6)));
  }
}
