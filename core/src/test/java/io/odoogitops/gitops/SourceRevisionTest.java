package io.odoogitops.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceRevisionTest {

  @TempDir Path dir;

  @Test
  void theAuthorOfTheCommitIsReadFromTheModuleRepository() throws Exception {
    RevCommit commit;
    try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
      Files.writeString(dir.resolve("__manifest__.py"), "{'name': 'acme'}\n");
      git.add().addFilepattern(".").call();
      commit = git.commit().setMessage("acme").setSign(false)
          .setAuthor(new PersonIdent("Carol Example", "Carol@Example.com"))
          .setCommitter(new PersonIdent("CI", "ci@example.com")).call();
    }
    Files.createDirectories(dir.resolve("addons/acme"));

    assertThat(SourceRevision.authorIdentities(dir.resolve("addons/acme"), commit.name()))
        .hasValueSatisfying(ids -> assertThat(ids).containsExactly("Carol Example", "Carol@Example.com", "carol"));
    assertThat(SourceRevision.authorIdentities(dir, commit.name().substring(0, 12))).isPresent();
    assertThat(SourceRevision.authorIdentities(dir, "0".repeat(40))).isEmpty();
    assertThat(SourceRevision.authorIdentities(dir, "HEAD~1; rm -rf /")).isEmpty();
  }
}
