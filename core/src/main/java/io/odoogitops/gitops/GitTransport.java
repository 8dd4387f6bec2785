package io.odoogitops.gitops;

import io.odoogitops.ReleaseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.api.TransportCommand;
import org.eclipse.jgit.transport.CredentialItem;
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

  GitTransport(GitCredentials credentials, Path privateDir, RemoteUrl url) {
    this.credentials = credentials;
    this.https = credentials instanceof GitCredentials.HttpsToken t && url.isHttp() ? tokenFor(url, t) : null;
    this.ssh = credentials instanceof GitCredentials.SshKey key ? sshFactory(key, privateDir) : null;
  }

  /** Refuses (exit 2) a token bound for plain {@code http://} on another machine, before anything is written. */
  static void refusePlainHttp(GitCredentials credentials, RemoteUrl url) {
    if (credentials instanceof GitCredentials.HttpsToken && "http".equals(url.scheme()) && !url.isLoopback()) {
      throw ReleaseException.badInput("the git token is only sent over https:// (or plain http:// to this machine);"
          + " " + url + " is plain http on another host. Use the repository's https:// URL");
    }
  }

  /** Whether a token will be sent: JGit must then not follow redirects (see {@link #tokenFor}). */
  static boolean sendsToken(GitCredentials credentials, RemoteUrl url) {
    return credentials instanceof GitCredentials.HttpsToken && url.isHttp();
  }

  /**
   * The token, for the repository's own origin only. Plain {@code http://} is refused unless the server is this
   * machine (as for registries). JGit keeps a Basic authorization across a redirect and sends it ahead to the new
   * host, so redirects are not followed when a token is set (the cache's {@code http.followRedirects}); the origin
   * check below also keeps the token from answering another host's challenge.
   */
  private static CredentialsProvider tokenFor(RemoteUrl url, GitCredentials.HttpsToken token) {
    refusePlainHttp(token, url);
    CredentialsProvider delegate = new UsernamePasswordCredentialsProvider(token.user(), token.token());
    return new CredentialsProvider() {
      @Override
      public boolean isInteractive() {
        return false;
      }

      @Override
      public boolean supports(CredentialItem... items) {
        return delegate.supports(items);
      }

      @Override
      public boolean get(URIish uri, CredentialItem... items) {
        return url.sameOrigin(uri) && delegate.get(uri, items);
      }
    };
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
