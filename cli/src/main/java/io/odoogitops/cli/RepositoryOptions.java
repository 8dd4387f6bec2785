package io.odoogitops.cli;

import io.odoogitops.InputFiles;
import io.odoogitops.ReleaseException;
import io.odoogitops.gitops.GitCredentials;
import io.odoogitops.gitops.GitOpsRemote;
import io.odoogitops.gitops.GitOpsRepository;
import io.odoogitops.trust.TrustRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Where the GitOps repository is and how to authenticate; secrets only from files or the environment. */
public final class RepositoryOptions {

  private final Map<String, String> environment;

  @Option(names = "--repo", paramLabel = "URL",
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

  @Mixin SecretOptions gitToken = new SecretOptions("--git-token", "HTTPS token or password",
      "ODOO_GITOPS_GIT_TOKEN");

  @Option(names = "--ssh-key", paramLabel = "FILE", description = "SSH private key for ssh:// and git@ URLs.")
  Path sshKey;

  @Mixin SecretOptions sshPassphrase = new SecretOptions("--ssh-passphrase", "SSH key's passphrase",
      "ODOO_GITOPS_SSH_PASSPHRASE");

  @Option(names = "--known-hosts", paramLabel = "FILE",
      description = "known_hosts used to verify the server (default: ~/.ssh/known_hosts).")
  Path knownHosts;

  @Option(names = "--trust-root", paramLabel = "FILE",
      description = "Keys of release managers and policy admins (allowed_signers with '#@role' sections), kept outside"
          + " the GitOps repository: only policy changes a policy admin signed take effect, only release-signed"
          + " promotions count. Env: " + TrustRoot.ENVIRONMENT_VARIABLE + ". Without it the gate is advisory.")
  Path trustRoot;

  @Option(names = "--accept-new-host-keys",
      description = "Record the host key of a server seen for the first time (a changed key is always refused).")
  boolean acceptNewHostKeys;

  public RepositoryOptions() {
    this(System.getenv());
  }

  /** ODOO_GITOPS_REPO and the secrets come from {@code environment}, the run's, given by {@link Main}. */
  RepositoryOptions(Map<String, String> environment) {
    this.environment = environment;
  }

  /** Whether a repository was named, by flag or environment. */
  boolean configured() {
    String named = url();
    return named != null && !named.isBlank();
  }

  /** Opens the cache of the named repository; the URL is checked ({@code RemoteUrl}) before anything is written. */
  public GitOpsRepository open() {
    if (!configured()) {
      throw ReleaseException.badInput("no GitOps repository given; pass --repo <url> or set ODOO_GITOPS_REPO");
    }
    // Read before the cache is opened: a bad trust root must not leave an open repository behind.
    Optional<TrustRoot> root = trustRoot();
    GitOpsRepository repository = GitOpsRepository.open(new GitOpsRemote(url(), branch,
        credentials(), cacheDir), maxCommitBytes);
    root.ifPresent(repository::trustRoot);
    return repository;
  }

  /** The trust root named by {@code --trust-root} or {@value TrustRoot#ENVIRONMENT_VARIABLE}. */
  Optional<TrustRoot> trustRoot() {
    String named = trustRoot != null ? trustRoot.toString() : environment.get(TrustRoot.ENVIRONMENT_VARIABLE);
    return named == null || named.isBlank() ? Optional.empty() : Optional.of(TrustRoot.read(Path.of(named)));
  }

  private String url() {
    return url != null ? url : environment.get("ODOO_GITOPS_REPO");
  }

  GitCredentials credentials() {
    if (sshKey != null) {
      // The SSH library reads these itself; a FIFO or a huge file must fail here, not hang or exhaust memory there.
      InputFiles.requireRegularFile(sshKey, "SSH key file", InputFiles.SECRET_LIMIT);
      if (knownHosts != null && Files.exists(knownHosts)) {
        InputFiles.requireRegularFile(knownHosts, "known_hosts file", InputFiles.DOCUMENT_LIMIT);
      }
      Path hosts = knownHosts != null ? knownHosts
          : Path.of(System.getProperty("user.home"), ".ssh", "known_hosts");
      String passphrase = sshPassphrase.value().orElse(null);
      return new GitCredentials.SshKey(sshKey, passphrase, hosts, acceptNewHostKeys);
    }
    return gitToken.value()
        .<GitCredentials>map(token -> new GitCredentials.HttpsToken(gitUser, token))
        .orElse(GitCredentials.none());
  }
}
