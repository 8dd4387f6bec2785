package io.odoogitops.gitops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.odoogitops.ReleaseException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.eclipse.jgit.junit.ssh.SshTestGitServer;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Promotions over SSH with a private key, against JGit's Apache MINA SSH git server on loopback. */
class SshTransportIT {

  @TempDir Path tmp;
  Repository served;
  SshTestGitServer server;
  int port;
  KeyPair hostKey;
  KeyPair userKey;
  Path userKeyFile;

  @BeforeEach
  void start() throws Exception {
    Path bare = tmp.resolve("gitops.git");
    RepositorySeed.create(bare, "main", GitOpsFixture.defaultFiles(), "initial");
    served = new FileRepositoryBuilder().setGitDir(bare.toFile()).setBare().build();
    hostKey = ecdsa();
    userKey = ecdsa();
    userKeyFile = writePrivateKey(userKey, tmp.resolve("id_ecdsa"));
    server = new SshTestGitServer("git", userKey.getPublic(), served, hostKey);
    port = server.start();
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.stop();
    }
    if (served != null) {
      served.close();
    }
  }

  @Test
  void keyAuthWithAKnownHostKeyPromotes() throws Exception {
    Path knownHosts = Files.writeString(tmp.resolve("known_hosts"), knownHostsLine(hostKey));
    try (GitOpsRepository repo = open(new GitCredentials.SshKey(userKeyFile, null, knownHosts, false))) {
      PromotionResult result = PromotionEngine.builder(repo).build()
          .promote(Promotion.builder("staging", "odoo", GitOpsFixture.image(5)).build());
      assertThat(result.outcome()).isEqualTo(PromotionResult.Outcome.LANDED);
      assertThat(served.parseCommit(served.resolve("refs/heads/main")).getName()).isEqualTo(result.commitId());
    }
  }

  @Test
  void unknownHostIsRefusedUnlessAcceptNewIsAskedForWhichRecordsTheKey() throws Exception {
    Path knownHosts = Files.writeString(tmp.resolve("known_hosts"), "");
    try (GitOpsRepository repo = open(new GitCredentials.SshKey(userKeyFile, null, knownHosts, false))) {
      assertThatThrownBy(() -> ReleaseQueries.of(repo).history("staging", null, 5))
          .isInstanceOf(ReleaseException.class)
          .hasMessageContaining("could not fetch from ssh://git@127.0.0.1:" + port)
          .hasMessageContaining("host key")
          .extracting(e -> ((ReleaseException) e).kind()).isEqualTo(ReleaseException.Kind.INFRASTRUCTURE);
    }
    try (GitOpsRepository repo = open(new GitCredentials.SshKey(userKeyFile, null, knownHosts, true))) {
      assertThat(ReleaseQueries.of(repo).history("staging", null, 5)).isEmpty();
    }
    assertThat(Files.readString(knownHosts)).contains(PublicKeyEntry.toString(hostKey.getPublic()).split(" ")[1]);
  }

  @Test
  void aChangedHostKeyIsRefusedEvenWithAcceptNew() throws Exception {
    Path knownHosts = Files.writeString(tmp.resolve("known_hosts"), knownHostsLine(ecdsa()));
    try (GitOpsRepository repo = open(new GitCredentials.SshKey(userKeyFile, null, knownHosts, true))) {
      assertThatThrownBy(() -> ReleaseQueries.of(repo).history("staging", null, 5))
          .isInstanceOf(ReleaseException.class).hasMessageContaining("host key");
    }
  }

  @Test
  void aKeyTheServerDoesNotKnowIsAnAuthenticationFailure() throws Exception {
    Path knownHosts = Files.writeString(tmp.resolve("known_hosts"), knownHostsLine(hostKey));
    Path otherKey = writePrivateKey(ecdsa(), tmp.resolve("other"));
    try (GitOpsRepository repo = open(new GitCredentials.SshKey(otherKey, null, knownHosts, false))) {
      assertThatThrownBy(() -> ReleaseQueries.of(repo).history("staging", null, 5))
          .isInstanceOf(ReleaseException.class)
          .hasMessageContaining("authentication was refused")
          .hasMessageNotContaining(Files.readString(otherKey).substring(40, 80));
    }
  }

  private GitOpsRepository open(GitCredentials credentials) {
    return GitOpsRepository.open(new GitOpsRemote("ssh://git@127.0.0.1:" + port + "/gitops.git", "main",
        credentials, tmp.resolve("cache-" + System.nanoTime())));
  }

  private String knownHostsLine(KeyPair key) {
    return "[127.0.0.1]:" + port + " " + PublicKeyEntry.toString(key.getPublic()) + "\n";
  }

  /** ECDSA P-256: supported by MINA without extra providers (JDK Ed25519 keys are not). */
  private static KeyPair ecdsa() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(256);
    return generator.generateKeyPair();
  }

  private static Path writePrivateKey(KeyPair key, Path file) throws Exception {
    try (OutputStream out = Files.newOutputStream(file)) {
      OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(key, "test", null, out);
    }
    return file;
  }

}
