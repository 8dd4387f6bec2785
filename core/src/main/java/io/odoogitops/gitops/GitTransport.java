package io.odoogitops.gitops;

import io.odoogitops.ReleaseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.api.TransportCommand;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.transport.sshd.KeyPasswordProvider;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;

/**
 * Applies {@link GitCredentials} to JGit transports. SSH uses JGit's Apache MINA client with a private configuration
 * (own home, known_hosts and identity) so the user's {@code ~/.ssh} cannot change what a promotion trusts.
 */
final class GitTransport implements AutoCloseable {

  private final GitCredentials credentials;
  private final SshdSessionFactory ssh;
  private final CredentialsProvider https;

  GitTransport(GitCredentials credentials, Path privateDir) {
    this.credentials = credentials;
    this.https = credentials instanceof GitCredentials.HttpsToken t
        ? new UsernamePasswordCredentialsProvider(t.user(), t.token()) : null;
    this.ssh = credentials instanceof GitCredentials.SshKey key ? sshFactory(key, privateDir) : null;
  }

  void configure(TransportCommand<?, ?> command) {
    if (https != null) {
      command.setCredentialsProvider(https);
    }
    command.setTransportConfigCallback(this::configure);
  }

  void configure(Transport transport) {
    if (https != null) {
      transport.setCredentialsProvider(https);
    }
    if (ssh != null && transport instanceof SshTransport sshTransport) {
      sshTransport.setSshSessionFactory(ssh);
    }
    transport.setTimeout(60);
  }

  private static SshdSessionFactory sshFactory(GitCredentials.SshKey key, Path privateDir) {
    if (!Files.isReadable(key.privateKey())) {
      throw ReleaseException.badInput("SSH private key " + key.privateKey() + " is not readable; check the path"
          + " and permissions");
    }
    try {
      Path home = Files.createDirectories(privateDir.resolve("ssh-home"));
      Path sshDir = Files.createDirectories(home.resolve(".ssh"));
      Path config = sshDir.resolve("config");
      // Written from our own settings only: the user's ssh_config must not weaken host key checking.
      Files.writeString(config, "Host *\n"
          + "  StrictHostKeyChecking " + (key.acceptNewHostKeys() ? "accept-new" : "yes") + "\n"
          + "  IdentityFile \"" + key.privateKey().toAbsolutePath() + "\"\n"
          + "  IdentitiesOnly yes\n"
          + "  BatchMode yes\n", StandardCharsets.UTF_8);
      if (key.acceptNewHostKeys() && !Files.exists(key.knownHosts())) {
        Path parent = key.knownHosts().toAbsolutePath().getParent();
        if (parent != null) {
          Files.createDirectories(parent);
        }
        Files.createFile(key.knownHosts());
      }
      String passphrase = key.passphrase();
      return new SshdSessionFactoryBuilder()
          .setHomeDirectory(home.toFile())
          .setSshDirectory(sshDir.toFile())
          .setConfigFile(f -> config.toFile())
          .setDefaultKnownHostsFiles(f -> List.of(key.knownHosts()))
          .setDefaultIdentities(f -> List.of(key.privateKey()))
          .setPreferredAuthentications("publickey")
          .setKeyPasswordProvider(cp -> new FixedPassphrase(passphrase))
          .build(null);
    } catch (IOException e) {
      throw ReleaseException.infrastructure("cannot prepare the SSH client configuration under " + privateDir
          + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    if (ssh != null) {
      ssh.close();
    }
  }

  /** Hands JGit the configured passphrase once; a wrong one fails instead of prompting on a CI agent. */
  private static final class FixedPassphrase implements KeyPasswordProvider {
    private final String passphrase;
    private int attempts = 1;

    FixedPassphrase(String passphrase) {
      this.passphrase = passphrase;
    }

    @Override
    public char[] getPassphrase(URIish uri, int attempt) {
      return passphrase == null || attempt > 0 ? null : passphrase.toCharArray();
    }

    @Override
    public void setAttempts(int attempts) {
      this.attempts = attempts;
    }

    @Override
    public int getAttempts() {
      return attempts;
    }

    @Override
    public boolean keyLoaded(URIish uri, int attempt, Exception error) {
      return false;
    }
  }

}
