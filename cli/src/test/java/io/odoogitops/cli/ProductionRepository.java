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

  /**
   * A push by someone with write access, past every gate: {@code edit} applied to the production kustomization, in a
   * fresh clone under {@code work}. Returns the commit id.
   */
  String push(Path work, java.util.function.UnaryOperator<String> edit, String message, String authorName)
      throws Exception {
    Path clone = work.resolve("direct-" + System.nanoTime());
    try (org.eclipse.jgit.api.Git git = org.eclipse.jgit.api.Git.cloneRepository().setURI(url)
        .setDirectory(clone.toFile()).call()) {
      Path file = clone.resolve(KUSTOMIZATION);
      Files.writeString(file, edit.apply(Files.readString(file)));
      git.add().addFilepattern(KUSTOMIZATION).call();
      String id = git.commit().setMessage(message).setAuthor(authorName, "someone@example.com")
          .setCommitter(authorName, "someone@example.com").call().getName();
      git.push().call();
      return id;
    }
  }

  @Override
  public void close() {
    daemon.close();
  }
}
