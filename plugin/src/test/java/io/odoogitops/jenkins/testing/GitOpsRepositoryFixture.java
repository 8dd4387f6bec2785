package io.odoogitops.jenkins.testing;

import io.odoogitops.gitops.RepositorySeed;
import io.odoogitops.jenkins.config.OdooGitOpsConfiguration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * A real bare GitOps repository (seeded by the core's {@link RepositorySeed}, reached over git's file transport)
 * with staging and production, production gated: two approvals from alice, bob or carol, four-eyes.
 */
public final class GitOpsRepositoryFixture {

  public static final String REPOSITORY = "registry.example.com/acme/odoo";
  public static final String IMAGE = REPOSITORY + ":17.0-1@sha256:" + "1".repeat(64);
  public static final String DIGEST = "sha256:" + "1".repeat(64);
  public static final String INITIAL_DIGEST = "sha256:" + "0".repeat(64);

  private static final String POLICY = """
      timeZone: Europe/Brussels
      applications:
        odoo: { image: %s }
      environments:
        staging: { path: envs/staging, layout: kustomize }
        production:
          path: envs/production
          layout: kustomize
          promoteFrom: staging
          gate: { approvals: 2, approvers: [user:alice, user:bob, user:carol, user:starter], fourEyes: true }
      %s
      """;

  private static final String KUSTOMIZATION = """
      apiVersion: kustomize.config.k8s.io/v1beta1
      kind: Kustomization
      resources:
        - ../../base
      images:
        - name: %s
          newTag: "17.0-0"
          digest: %s
      """;

  /** Production frozen from 2000 to 2100; the text is indented to sit inside the production block. */
  private static final String ALWAYS_FROZEN = """
          freeze:
            - name: always
              from: 2000-01-01T00:00
              to: 2100-01-01T00:00
      """;

  public final Path bare;
  public final String url;

  private GitOpsRepositoryFixture(Path bare) {
    this.bare = bare;
    this.url = bare.toUri().toString();
  }

  /** A repository whose production is frozen right now when {@code frozen}. */
  public static GitOpsRepositoryFixture create(Path dir, boolean frozen) throws IOException {
    return create(dir, frozen ? ALWAYS_FROZEN : "");
  }

  /**
   * A repository whose production block also has {@code productionYaml}: keys indented by four spaces, as in
   * {@link #ALWAYS_FROZEN}.
   */
  public static GitOpsRepositoryFixture create(Path dir, String productionYaml) throws IOException {
    Path bare = Files.createDirectories(dir).resolve("gitops.git");
    Map<String, String> files = new LinkedHashMap<>();
    files.put("odoo-gitops.yaml", POLICY.formatted(REPOSITORY, productionYaml.stripTrailing()));
    files.put("envs/staging/kustomization.yaml", KUSTOMIZATION.formatted(REPOSITORY, INITIAL_DIGEST));
    files.put("envs/production/kustomization.yaml", KUSTOMIZATION.formatted(REPOSITORY, INITIAL_DIGEST));
    files.put("base/kustomization.yaml", "resources:\n  - odoo.yaml\n");
    RepositorySeed.create(bare, "main", files, "GitOps repository of the plugin tests");
    return new GitOpsRepositoryFixture(bare);
  }

  /** Points the global configuration at this repository. */
  public void configureJenkins() {
    configureJenkins(url);
  }

  /** Points the global configuration at the repository at {@code url}; for a Jenkins in another JVM. */
  public static void configureJenkins(String url) {
    OdooGitOpsConfiguration config = OdooGitOpsConfiguration.get();
    config.setGitopsRepositoryUrl(url);
    config.setGitopsBranch("main");
    config.setCommitter("Release Bot <release@example.com>");
  }

  /** The full message of the branch head: subject, body and trailers. */
  public String headMessage() throws IOException {
    try (Repository repository = new FileRepositoryBuilder().setGitDir(bare.toFile()).build();
        RevWalk walk = new RevWalk(repository)) {
      ObjectId head = repository.resolve(Constants.R_HEADS + "main");
      return walk.parseCommit(head).getFullMessage();
    }
  }

  /** The production manifest at the branch head. */
  public String manifest(String environment) throws IOException {
    try (Repository repository = new FileRepositoryBuilder().setGitDir(bare.toFile()).build();
        RevWalk walk = new RevWalk(repository)) {
      var tree = walk.parseCommit(repository.resolve(Constants.R_HEADS + "main")).getTree();
      try (var treeWalk = org.eclipse.jgit.treewalk.TreeWalk.forPath(repository,
          "envs/" + environment + "/kustomization.yaml", tree)) {
        return new String(repository.open(treeWalk.getObjectId(0)).getBytes(), java.nio.charset.StandardCharsets.UTF_8);
      }
    }
  }
}
