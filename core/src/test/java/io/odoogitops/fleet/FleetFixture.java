package io.odoogitops.fleet;

import io.odoogitops.ImageDigest;
import io.odoogitops.ImageRef;
import io.odoogitops.gitops.Promotion;
import io.odoogitops.gitops.PromotionEngine;
import io.odoogitops.gitops.RepositorySeed;
import io.odoogitops.gitops.RollbackRequest;
import io.odoogitops.gitops.Trailers;
import io.odoogitops.testing.GitDaemon;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A GitOps repository with a fleet of five tenants in three waves, served by git daemon on loopback, and a history
 * in which the fleet promoted and one tenant was rolled back. Shared with the CLI's tests.
 */
public final class FleetFixture {

  public static final String REPO = "registry.example.com/acme/odoo";
  public static final String CONFIG = """
      timeZone: Europe/Brussels
      applications:
        odoo: { image: registry.example.com/acme/odoo }
      environments:
        acme: { path: envs/acme, layout: kustomize, labels: { tier: canary } }
        globex: { path: envs/globex, layout: kustomize, labels: { tier: gold } }
        initech: { path: envs/initech, layout: kustomize, labels: { tier: gold } }
        umbrella:
          path: envs/umbrella
          layout: kustomize
          labels: { tier: silver }
          freeze:
            - { name: year-end audit, from: 2026-12-01T00:00, to: 2026-12-10T08:00, timeZone: America/New_York }
        hooli: { path: envs/hooli, layout: kustomize, labels: { tier: silver } }
      fleets:
        saas:
          waves:
            - { name: canary, canary: true, environments: [acme], soak: 2h }
            - { name: gold, selector: { matchLabels: { tier: gold } }, maxParallel: 2, soak: 4h }
            - { name: silver, selector: { matchLabels: { tier: silver } } }
      """;
  public static final String TENANTS = "acme globex initech umbrella hooli";

  /** The served repository with every tenant on digest 0. */
  public static Map<String, String> files() {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("odoo-gitops.yaml", CONFIG);
    for (String tenant : TENANTS.split(" ")) {
      files.put("envs/" + tenant + "/kustomization.yaml", "images:\n  - name: " + REPO + "\n    digest: sha256:"
          + "0".repeat(64) + "\n");
    }
    return files;
  }

  public static ImageRef image(int n) {
    return new ImageRef(REPO, "17.0-build" + n, new ImageDigest("sha256:" + String.format("%064x", n)));
  }

  /**
   * acme and globex get digest 1 from the fleet, globex is rolled back, initech gets 1 by hand and then 2; umbrella
   * and hooli have not been touched.
   */
  public static void writeHistory(PromotionEngine engine) {
    engine.promote(Promotion.builder("acme", "odoo", image(1)).initiator("jenkins")
        .trailer(Trailers.FLEET, "saas").trailer(Trailers.WAVE, "canary").build());
    engine.promote(Promotion.builder("globex", "odoo", image(1)).initiator("jenkins")
        .trailer(Trailers.FLEET, "saas").trailer(Trailers.WAVE, "gold").build());
    engine.promote(Promotion.builder("initech", "odoo", image(1)).initiator("alice").build());
    engine.promote(Promotion.builder("initech", "odoo", image(2)).initiator("alice").build());
    engine.rollback(new RollbackRequest("globex", "odoo", null, "login page broken", "bob", null, null));
  }

  private FleetFixture() {}

  /** Seeds {@code dir}/served/gitops.git and serves it; close the daemon. */
  public static GitDaemon serve(Path dir) throws IOException {
    Path served = Files.createDirectories(dir.resolve("served"));
    RepositorySeed.create(served.resolve("gitops.git"), "main", files(), "initial GitOps repository");
    return GitDaemon.start(served);
  }
}
