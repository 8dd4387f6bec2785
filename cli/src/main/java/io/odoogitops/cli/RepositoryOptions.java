package io.odoogitops.cli;

import io.odoogitops.gitops.GitCredentials;
import io.odoogitops.gitops.GitOpsRemote;
import io.odoogitops.gitops.GitOpsRepository;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the GitOps repository is and how to authenticate; secrets only from files or the environment. */
public final class RepositoryOptions {

  @Option(names = "--repo", paramLabel = "URL", defaultValue = "${env:ODOO_GITOPS_REPO}",
      description = "GitOps repository URL (https://, ssh://, git@host:path, git://, file://). Env: ODOO_GITOPS_REPO.")
  String url;

  @Option(names = "--branch", paramLabel = "NAME", defaultValue = "main",
      description = "Branch environments are promoted on (default: ${DEFAULT-VALUE}).")
  String branch;

  @Option(names = "--cache-dir", paramLabel = "DIR",
      description = "Where persistent cache clones live (default: $XDG_CACHE_HOME/odoo-gitops/repos).")
  Path cacheDir;

  @Option(names = "--max-commit-bytes", paramLabel = "BYTES",
      defaultValue = "${env:ODOO_GITOPS_MAX_COMMIT_BYTES:-1048576}",
      description = "Read at most this much of any commit; a larger commit is never a promotion and history names it"
          + " (default: 1 MiB, at most 4 MiB). Env: ODOO_GITOPS_MAX_COMMIT_BYTES.")
  long maxCommitBytes;

  @Option(names = "--git-user", paramLabel = "USER", defaultValue = "${env:ODOO_GITOPS_GIT_USER:-git}",
      description = "HTTPS user for the token (default: git). Env: ODOO_GITOPS_GIT_USER.")
  String gitUser;

  @Option(names = "--git-token-file", paramLabel = "FILE",
      description = "File holding the HTTPS token or password. Otherwise env ODOO_GITOPS_GIT_TOKEN.")
  Path gitTokenFile;

  @Option(names = "--ssh-key", paramLabel = "FILE", description = "SSH private key for ssh:// and git@ URLs.")
  Path sshKey;

  @Option(names = "--ssh-passphrase-file", paramLabel = "FILE",
      description = "File holding the key's passphrase. Otherwise env ODOO_GITOPS_SSH_PASSPHRASE.")
  Path sshPassphraseFile;

  @Option(names = "--known-hosts", paramLabel = "FILE",
      description = "known_hosts used to verify the server (default: ~/.ssh/known_hosts).")
  Path knownHosts;

  @Option(names = "--accept-new-host-keys",
      description = "Record the host key of a server seen for the first time (a changed key is always refused).")
  boolean acceptNewHostKeys;

  /** Whether a repository was named, by flag or environment. */
  boolean configured() {
    return url != null && !url.isBlank();
  }

  /** Opens the cache of the named repository; the URL is checked ({@code RemoteUrl}) before anything is written. */
  public GitOpsRepository open() {
    return GitOpsRepository.open(new GitOpsRemote(url, branch, credentials(new SecretOptions()), cacheDir),
        maxCommitBytes);
  }

  GitCredentials credentials(SecretOptions secrets) {
    if (sshKey != null) {
      Path hosts = knownHosts != null ? knownHosts
          : Path.of(System.getProperty("user.home"), ".ssh", "known_hosts");
      String passphrase = secrets.read("SSH key passphrase", sshPassphraseFile, "ODOO_GITOPS_SSH_PASSPHRASE")
          .orElse(null);
      return new GitCredentials.SshKey(sshKey, passphrase, hosts, acceptNewHostKeys);
    }
    return secrets.read("git token", gitTokenFile, "ODOO_GITOPS_GIT_TOKEN")
        .<GitCredentials>map(token -> new GitCredentials.HttpsToken(gitUser, token))
        .orElse(GitCredentials.none());
  }
}
