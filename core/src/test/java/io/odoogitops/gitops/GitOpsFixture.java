package io.odoogitops.gitops;

import io.odoogitops.ImageDigest;
import io.odoogitops.ImageRef;
import io.odoogitops.testing.GitDaemon;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** A GitOps repository with staging and production environments, served by a real git daemon on loopback. */
final class GitOpsFixture implements AutoCloseable {

  static final String REPO = "registry.example.com/acme/odoo";
  static final String CONFIG = """
      # release configuration, reviewed like code
      timeZone: Europe/Brussels
      applications:
        odoo: { image: registry.example.com/acme/odoo }
        worker:
          image: registry.example.com/acme/worker
      environments:
        staging: { path: envs/staging, layout: kustomize }
        production:
          path: envs/production
          layout: kustomize
          promoteFrom: staging
      """;

  static final String KUSTOMIZATION = """
      apiVersion: kustomize.config.k8s.io/v1beta1
      kind: Kustomization
      resources:
        - ../../base   # shared Odoo deployment
      images:
        # the Odoo image, pinned by digest
        - name: registry.example.com/acme/odoo
          newTag: "17.0-initial"
          digest: sha256:%s
        - name: registry.example.com/acme/worker
          digest: sha256:%s
      """;

  final Path root;
  final GitDaemon daemon;
  final String url;

  private GitOpsFixture(Path root, GitDaemon daemon, String url) {
    this.root = root;
    this.daemon = daemon;
    this.url = url;
  }

  static GitOpsFixture start(Path root) throws IOException {
    return start(root, defaultFiles());
  }

  static GitOpsFixture start(Path root, Map<String, String> files) throws IOException {
    Path served = Files.createDirectories(root.resolve("served"));
    RepositorySeed.create(served.resolve("gitops.git"), "main", files, "initial GitOps repository");
    GitDaemon daemon = GitDaemon.start(served);
    return new GitOpsFixture(root, daemon, daemon.url("gitops.git"));
  }

  static Map<String, String> defaultFiles() {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("odoo-gitops.yaml", CONFIG);
    files.put("envs/staging/kustomization.yaml", KUSTOMIZATION.formatted(digest('0'), digest('a')));
    files.put("envs/production/kustomization.yaml", KUSTOMIZATION.formatted(digest('0'), digest('a')));
    files.put("README.md", "GitOps repository\n");
    return files;
  }

  static String digest(char c) {
    return String.valueOf(c).repeat(64);
  }

  static String digest(int n) {
    return String.format("%064x", n);
  }

  static ImageRef image(int n) {
    return new ImageRef(REPO, "17.0-build" + n, new ImageDigest("sha256:" + digest(n)));
  }

  /** A repository handle with its own cache, as a separate machine would have. */
  GitOpsRepository open(String cacheName) {
    return GitOpsRepository.open(new GitOpsRemote(url, "main", GitCredentials.none(), root.resolve("caches")
        .resolve(cacheName)));
  }

  PromotionEngine engine(GitOpsRepository repository) {
    return PromotionEngine.builder(repository).backoff(java.time.Duration.ofMillis(20),
        java.time.Duration.ofMillis(300)).build();
  }

  /** The newest commit of the served repository. */
  org.eclipse.jgit.revwalk.RevCommit head() throws Exception {
    try (org.eclipse.jgit.api.Git git = org.eclipse.jgit.api.Git.open(root.resolve("served/gitops.git").toFile())) {
      return git.log().setMaxCount(1).call().iterator().next();
    }
  }

  /** How many commits the served repository's branch has. */
  /**
   * The last commit rewritten by hand, as anyone who may push can where no trust root guards it: the file at
   * {@code path} edited, message, author and committer kept, force-pushed. Returns whether the edit changed the file.
   */
  boolean rewriteHead(String path, java.util.function.UnaryOperator<String> edit) throws Exception {
    return pushEdit(path, edit, true);
  }

  /** The file at {@code path} edited and pushed: in a commit of its own, or in place of the last one. */
  boolean pushEdit(String path, java.util.function.UnaryOperator<String> edit, boolean replaceHead)
      throws Exception {
    Path clone = Files.createTempDirectory(root, "rewrite");
    try (org.eclipse.jgit.api.Git git = org.eclipse.jgit.api.Git.cloneRepository().setURI(url)
        .setDirectory(clone.toFile()).call()) {
      org.eclipse.jgit.revwalk.RevCommit head = git.log().setMaxCount(1).call().iterator().next();
      Path file = clone.resolve(path);
      String original = Files.readString(file);
      String edited = edit.apply(original);
      if (replaceHead) {
        git.reset().setMode(org.eclipse.jgit.api.ResetCommand.ResetType.SOFT).setRef("HEAD~1").call();
      }
      Files.writeString(file, edited);
      git.add().addFilepattern(".").call();
      if (replaceHead) {
        git.commit().setMessage(head.getFullMessage()).setAuthor(head.getAuthorIdent())
            .setCommitter(head.getCommitterIdent()).setSign(false).call();
      } else {
        git.commit().setMessage("edit " + path).setAuthor("someone", "someone@example.com").setSign(false).call();
      }
      git.push().setForce(replaceHead).call();
      return !edited.equals(original);
    }
  }

  int commitCount() throws Exception {
    try (org.eclipse.jgit.api.Git git = org.eclipse.jgit.api.Git.open(root.resolve("served/gitops.git").toFile())) {
      int n = 0;
      for (org.eclipse.jgit.revwalk.RevCommit ignored : git.log().call()) {
        n++;
      }
      return n;
    }
  }

  @Override
  public void close() {
    daemon.close();
  }
}
