package io.odoogitops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.odoogitops.gitops.RepositorySeed;
import io.odoogitops.testing.GitDaemon;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --max-commit-bytes} end to end: history exits 2 naming an oversize commit, promote and rollback pass it. */
class HistoryOversizeCommitIT {

  static final String IMAGE = "registry.example.com/acme/odoo";

  @TempDir Path dir;
  GitDaemon daemon;
  String url;

  @BeforeEach
  void start() throws Exception {
    Path served = Files.createDirectories(dir.resolve("served"));
    RepositorySeed.create(served.resolve("gitops.git"), "main", Map.of(
        "odoo-gitops.yaml", "applications:\n  odoo: { image: " + IMAGE + " }\nenvironments:\n"
            + "  production: { path: envs/production, layout: kustomize }\n",
        "envs/production/kustomization.yaml", "images:\n  - name: " + IMAGE + "\n    digest: sha256:"
            + "0".repeat(64) + "\n"), "initial");
    daemon = GitDaemon.start(served);
    url = daemon.url("gitops.git");
  }

  @AfterEach
  void stop() {
    daemon.close();
  }

  @Test
  void historyNamesTheOversizeCommitWhilePromoteAndRollbackPassIt() throws Exception {
    assertThat(CliRun.of(args("promote", "--image", IMAGE + "@sha256:" + "1".repeat(64))).exitCode()).isZero();
    String huge = pushCommitWithMessageOf(100 << 10);
    assertThat(CliRun.of(args("promote", "--image", IMAGE + "@sha256:" + "2".repeat(64))).exitCode()).isZero();

    CliRun history = CliRun.of(args("history"));
    assertThat(history.exitCode()).isEqualTo(2);
    assertThat(history.err()).contains(huge, "over the 16384-byte limit", "--limit 1").doesNotContain("\tat ");
    CliRun newer = CliRun.of(args("history", "--limit", "1"));
    assertThat(newer.exitCode()).isZero();
    assertThat(newer.out()).contains("222222");

    CliRun rollback = CliRun.of(args("rollback", "--reason", "bad release"));
    assertThat(rollback.exitCode()).isZero();
    assertThat(rollback.out()).contains("111111");

    CliRun tooHigh = CliRun.of("history", "--repo", url, "--cache-dir", dir.resolve("cache").toString(), "--env",
        "production", "--max-commit-bytes", String.valueOf(64 << 20));
    assertThat(tooHigh.exitCode()).isEqualTo(2);
    assertThat(tooHigh.err()).contains("commit size limit must be between");
  }

  private String pushCommitWithMessageOf(int bytes) throws Exception {
    Path work = dir.resolve("direct");
    try (Git git = Git.cloneRepository().setURI(url).setDirectory(work.toFile()).call()) {
      Path file = work.resolve("envs/production/kustomization.yaml");
      Files.writeString(file, Files.readString(file) + "# pasted by hand\n");
      git.add().addFilepattern("envs/production/kustomization.yaml").call();
      RevCommit c = git.commit().setMessage("paste the build log\n\n" + "x".repeat(bytes) + "\n")
          .setAuthor("someone", "someone@example.com").setCommitter("someone", "someone@example.com").call();
      git.push().call();
      return c.getName();
    }
  }

  private String[] args(String command, String... more) {
    List<String> all = new ArrayList<>(List.of(command, "--repo", url, "--cache-dir", dir.resolve("cache").toString(),
        "--env", "production", "--max-commit-bytes", "16384"));
    if (!command.equals("history")) {
      all.addAll(List.of("--app", "odoo", "--initiator", "ci"));
    }
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }
}
