package io.odoogitops.cli;

import io.odoogitops.gitops.RepositorySeed;
import io.odoogitops.testing.GitDaemon;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A GitOps repository with one environment, production (kustomize), running application odoo at digest {@code 000…},
 * served by git daemon on loopback for the CLI's end-to-end tests.
 */
final class ProductionRepository implements AutoCloseable {

  static final String IMAGE = "registry.example.com/acme/odoo";
  static final String KUSTOMIZATION = "envs/production/kustomization.yaml";

  final Path served;
  final String url;
  private final GitDaemon daemon;

  private ProductionRepository(Path served, GitDaemon daemon) {
    this.served = served;
    this.daemon = daemon;
    this.url = daemon.url("gitops.git");
  }

  static ProductionRepository start(Path dir) throws IOException {
    Path served = Files.createDirectories(dir.resolve("served"));
    RepositorySeed.create(served.resolve("gitops.git"), "main", Map.of(
        "odoo-gitops.yaml", "applications:\n  odoo: { image: " + IMAGE + " }\nenvironments:\n"
            + "  production: { path: envs/production, layout: kustomize }\n",
        KUSTOMIZATION, "images:\n  - name: " + IMAGE + "\n    digest: sha256:" + "0".repeat(64) + "\n"), "initial");
    return new ProductionRepository(served, GitDaemon.start(served));
  }

  @Override
  public void close() {
    daemon.close();
  }
}
