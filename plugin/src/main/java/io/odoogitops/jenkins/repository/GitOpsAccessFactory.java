package io.odoogitops.jenkins.repository;

import com.cloudbees.jenkins.plugins.sshcredentials.SSHUserPrivateKey;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.UsernamePasswordCredentials;
import hudson.AbortException;
import hudson.FilePath;
import hudson.Util;
import hudson.model.Computer;
import hudson.model.Node;
import hudson.model.Run;
import hudson.util.Secret;
import io.odoogitops.ReleaseException;
import io.odoogitops.jenkins.config.OdooGitOpsConfiguration;
import io.odoogitops.jenkins.step.RunCredentials;
import io.odoogitops.jenkins.trust.TrustRootText;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;

/** Builds the {@link GitOpsAccess} of one build from the global configuration and the build's credentials. */
public final class GitOpsAccessFactory {

  private GitOpsAccessFactory() {}

  /**
   * @param workspace the workspace the work will run next to; its node's root holds the persistent cache clones
   *     ({@code caches/odoo-gitops}, like the git plugin's {@code caches/})
   */
  public static GitOpsAccess forRun(Run<?, ?> run, FilePath workspace) throws AbortException {
    OdooGitOpsConfiguration config = OdooGitOpsConfiguration.get();
    String url = config.getGitopsRepositoryUrl();
    if (url == null) {
      throw new AbortException("bad_input: no GitOps repository is configured; set it in Manage Jenkins > System >"
          + " Odoo GitOps, or with configuration-as-code (unclassified: odooGitops: gitopsRepositoryUrl)");
    }
    StandardCredentials credentials = RunCredentials.find(run, config.getGitopsCredentialsId(),
        StandardCredentials.class, url, "GitOps repository");
    String user = null;
    String token = null;
    String key = null;
    String passphrase = null;
    if (credentials instanceof SSHUserPrivateKey ssh) {
      if (ssh.getPrivateKeys().isEmpty()) {
        throw new AbortException("bad_input: the SSH credentials '" + ssh.getId() + "' hold no private key");
      }
      key = ssh.getPrivateKeys().get(0);
      passphrase = Secret.toString(ssh.getPassphrase());
      passphrase = passphrase.isEmpty() ? null : passphrase;
    } else if (credentials instanceof UsernamePasswordCredentials basic) {
      user = basic.getUsername();
      token = basic.getPassword().getPlainText();
    } else if (credentials instanceof StringCredentials secretText) {
      token = secretText.getSecret().getPlainText();
    } else if (credentials != null) {
      throw new AbortException("bad_input: the GitOps credentials '" + credentials.getId() + "' are a "
          + credentials.getClass().getSimpleName() + "; use username/password, secret text (a token) or an SSH"
          + " private key");
    }
    return new GitOpsAccess(url, config.getGitopsBranch(), user, token, key, passphrase,
        Util.fixEmptyAndTrim(config.getSshKnownHosts()), config.isAcceptNewHostKeys(), config.committerName(),
        config.committerEmail(), cacheRoot(workspace), trustRoot(config));
  }

  /** The configured trust root, read and checked on the controller; null when none is configured. */
  private static TrustRootText trustRoot(OdooGitOpsConfiguration config) throws AbortException {
    try {
      return TrustRootText.of(config.getTrustRoot());
    } catch (ReleaseException e) {
      throw new AbortException("bad_input: the trust root of the global configuration (Manage Jenkins > System >"
          + " Odoo GitOps > Trust root): " + e.getMessage());
    }
  }

  private static String cacheRoot(FilePath workspace) {
    Computer computer = workspace.toComputer();
    Node node = computer == null ? null : computer.getNode();
    FilePath root = node == null ? null : node.getRootPath();
    return root == null ? null : root.child("caches").child("odoo-gitops").getRemote();
  }
}
