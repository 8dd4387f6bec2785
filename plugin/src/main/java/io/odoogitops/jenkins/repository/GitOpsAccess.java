package io.odoogitops.jenkins.repository;

import io.odoogitops.ReleaseException;
import io.odoogitops.gitops.GitCredentials;
import io.odoogitops.gitops.GitOpsRemote;
import io.odoogitops.gitops.GitOpsRepository;
import io.odoogitops.gitops.LandingCheck;
import io.odoogitops.gitops.PromotionEngine;
import io.odoogitops.gitops.RemoteUrl;
import io.odoogitops.jenkins.trust.TrustRootText;
import io.odoogitops.trust.CommitSigner;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Everything an agent needs to reach the GitOps repository, resolved on the controller (where the credentials store
 * is) and sent over the build's channel. Secrets travel as plain strings only inside this object, whose
 * {@link #toString()} hides them; {@link #secrets()} feeds the log masker.
 *
 * @param sshKey PEM private key, or null for token/anonymous access
 * @param knownHosts known_hosts content verifying the server; null uses the agent user's ~/.ssh/known_hosts
 * @param cacheRoot where the agent keeps its persistent cache clones; null for the core's default
 * @param trustRoot the global configuration's trust root; null: none, the gate is advisory
 */
public record GitOpsAccess(String url, String branch, String user, String token, String sshKey, String sshPassphrase,
    String knownHosts, boolean acceptNewHostKeys, String committerName, String committerEmail, String cacheRoot,
    TrustRootText trustRoot) implements Serializable {

  private static final long serialVersionUID = 1L;

  public GitOpsAccess {
    if (url == null || url.isBlank()) {
      throw ReleaseException.badInput("no GitOps repository is configured; set it in Manage Jenkins > System >"
          + " Odoo GitOps (or configuration-as-code 'unclassified: odooGitops: gitopsRepositoryUrl')");
    }
    // Refuses a URL that could carry a secret before it reaches an agent, a log or a cache directory's name.
    RemoteUrl.parse(url);
  }

  /** Access without a trust root. */
  public GitOpsAccess(String url, String branch, String user, String token, String sshKey, String sshPassphrase,
      String knownHosts, boolean acceptNewHostKeys, String committerName, String committerEmail, String cacheRoot) {
    this(url, branch, user, token, sshKey, sshPassphrase, knownHosts, acceptNewHostKeys, committerName,
        committerEmail, cacheRoot, null);
  }

  /** The secret values to mask in build logs. */
  public List<String> secrets() {
    List<String> secrets = new ArrayList<>();
    for (String s : new String[] {token, sshKey, sshPassphrase}) {
      if (s != null && !s.isBlank()) {
        secrets.add(s);
      }
    }
    return secrets;
  }

  /**
   * Opens the cache clone on this machine, verified against the trust root right away when one is configured, so no
   * query of the plugin ever reads the repository unverified. Key material is written under {@code scratch}
   * (owner-only) for the lifetime of the returned repository; the caller deletes {@code scratch} afterwards.
   */
  public GitOpsRepository open(Path scratch) throws IOException {
    GitOpsRepository repository = GitOpsRepository.open(new GitOpsRemote(url, branch, credentials(scratch),
        cacheRoot == null ? null : Path.of(cacheRoot)));
    if (trustRoot != null) {
      try {
        repository.trustRoot(trustRoot.parse());
      } catch (RuntimeException e) {
        repository.close();
        throw e;
      }
    }
    return repository;
  }

  /**
   * The promotion engine the CLI would build, logging progress through {@code progress}.
   *
   * @param signer the release key; null: commits are unsigned
   */
  public PromotionEngine engine(GitOpsRepository repository, Consumer<String> progress, LandingCheck check,
      CommitSigner signer) {
    PromotionEngine.Builder builder = PromotionEngine.builder(repository).committer(committerName, committerEmail)
        .progress(progress).landingCheck(check);
    if (signer != null) {
      builder.signer(signer);
    }
    return builder.build();
  }

  private GitCredentials credentials(Path scratch) throws IOException {
    if (sshKey != null) {
      Path key = ownerOnly(scratch.resolve("id_gitops"), sshKey);
      Path hosts = knownHosts != null ? ownerOnly(scratch.resolve("known_hosts"), knownHosts)
          : Path.of(System.getProperty("user.home"), ".ssh", "known_hosts");
      return new GitCredentials.SshKey(key, sshPassphrase, hosts, acceptNewHostKeys);
    }
    if (token != null) {
      return new GitCredentials.HttpsToken(user == null || user.isBlank() ? "git" : user, token);
    }
    return new GitCredentials.None();
  }

  private static Path ownerOnly(Path file, String content) throws IOException {
    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    return Files.writeString(file, content.endsWith("\n") ? content : content + "\n", StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "GitOpsAccess[url=" + RemoteUrl.describe(url) + ", branch=" + branch + ", user=" + user + ", token="
        + (token == null ? "none" : "****") + ", sshKey=" + (sshKey == null ? "none" : "****")
        + ", trustRoot=" + (trustRoot == null ? "none" : trustRoot.source()) + "]";
  }
}
