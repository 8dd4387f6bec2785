package io.odoogitops.jenkins.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.odoogitops.ReleaseException;
import io.odoogitops.gitops.GitOpsRepository;
import io.odoogitops.gitops.RepositorySeed;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What travels to the agent: secrets hidden from toString, key material owner-only, the core's repository. */
class GitOpsAccessTest {

  private static final String KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n"
      + "-----END OPENSSH PRIVATE KEY-----";

  @TempDir
  Path tmp;

  @Test
  void toStringNeverShowsSecrets() {
    GitOpsAccess access = new GitOpsAccess("https://git.example.com/ops/gitops.git", "main", "bot", "s3cr3t-token",
        KEY, "passphrase!", null, false, "Release Bot", "release@example.com", null);
    assertThat(access.toString()).doesNotContain("s3cr3t-token", "b3BlbnNzaC1rZXktdjEAAAAA", "passphrase!");
    assertThat(access.secrets()).containsExactly("s3cr3t-token", KEY, "passphrase!");
  }

  @Test
  void sshKeyAndKnownHostsAreWrittenOwnerOnly() throws Exception {
    Path bare = tmp.resolve("gitops.git");
    RepositorySeed.create(bare, "main", Map.of("README.md", "GitOps\n"), "initial");
    Path scratch = Files.createDirectories(tmp.resolve("scratch"));
    GitOpsAccess access = new GitOpsAccess(bare.toUri().toString(), "main", null, null, KEY, null,
        "git.example.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBSK", false, "Release Bot", "release@example.com",
        tmp.resolve("cache").toString());
    try (GitOpsRepository repository = access.open(scratch)) {
      assertThat(String.valueOf(repository.remote().url())).isEqualTo(bare.toUri().toString());
    }
    assertThat(Files.readString(scratch.resolve("id_gitops"))).isEqualTo(KEY + "\n");
    assertThat(Files.getPosixFilePermissions(scratch.resolve("id_gitops")))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    assertThat(Files.getPosixFilePermissions(scratch.resolve("known_hosts")))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
  }

  @Test
  void aMissingUrlSaysWhereToConfigureIt() {
    assertThatThrownBy(() -> new GitOpsAccess(" ", "main", null, null, null, null, null, false, "a", "b", null))
        .isInstanceOf(ReleaseException.class)
        .hasMessageContaining("Manage Jenkins > System > Odoo GitOps");
  }
}
