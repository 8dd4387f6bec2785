package io.odoogitops.jenkins.signing;

import com.cloudbees.jenkins.plugins.sshcredentials.SSHUserPrivateKey;
import hudson.AbortException;
import hudson.util.Secret;
import io.odoogitops.ReleaseException;
import io.odoogitops.jenkins.config.OdooGitOpsConfiguration;
import io.odoogitops.jenkins.step.Refusals;
import io.odoogitops.signing.SshSigner;
import io.odoogitops.trust.CommitSigner;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.jenkinsci.plugins.plaincredentials.FileCredentials;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;

/**
 * The controller's two keys, loaded from System-scope credentials into memory on the controller (never written to
 * disk, never sent to an agent): the vote-signing key of the gate page and the release key of promotion commits.
 */
public final class ControllerKeys {

  private static final String PASSPHRASE_HINT = "the passphrase of the SSH credential";

  private ControllerKeys() {}

  /** The vote-signing key, or null when none is configured. */
  public static SshSigner voteSigner() throws AbortException {
    String id = OdooGitOpsConfiguration.get().getVoteSigningCredentialsId();
    if (id == null) {
      return null;
    }
    SSHUserPrivateKey key = SystemCredentials.find(id, SSHUserPrivateKey.class, "vote-signing key");
    return Refusals.check(() -> SshSigner.fromKey(privateKey(key), id, passphrase(key), PASSPHRASE_HINT));
  }

  /** Whether a release key is configured. */
  public static boolean releaseKeyConfigured() {
    return OdooGitOpsConfiguration.get().getReleaseKeyCredentialsId() != null;
  }

  /** The release key, or null when none is configured. */
  public static CommitSigner releaseSigner() throws AbortException {
    OdooGitOpsConfiguration config = OdooGitOpsConfiguration.get();
    String id = config.getReleaseKeyCredentialsId();
    if (id == null) {
      return null;
    }
    CommitSigner.Format format = Refusals.check(() -> CommitSigner.Format.parse(config.getReleaseKeyFormat()));
    if (format == CommitSigner.Format.SSH) {
      SSHUserPrivateKey key = SystemCredentials.find(id, SSHUserPrivateKey.class, "release key");
      return Refusals.check(() -> CommitSigner.fromKey(privateKey(key), id, format, passphrase(key)));
    }
    FileCredentials file = SystemCredentials.find(id, FileCredentials.class, "release key (OpenPGP)");
    byte[] armored;
    try (InputStream in = file.getContent()) {
      armored = in.readNBytes(64 * 1024 + 1);
    } catch (IOException e) {
      throw new AbortException("infrastructure: cannot read the release key credential '" + id + "': "
          + e.getClass().getSimpleName());
    }
    String passphraseId = config.getReleaseKeyPassphraseCredentialsId();
    String passphrase = passphraseId == null ? null : SystemCredentials.find(passphraseId, StringCredentials.class,
        "release key passphrase").getSecret().getPlainText();
    return Refusals.check(() -> CommitSigner.fromKey(armored, id, format, passphrase));
  }

  private static byte[] privateKey(SSHUserPrivateKey key) {
    if (key.getPrivateKeys().isEmpty()) {
      throw ReleaseException.badInput("the SSH credential '" + key.getId() + "' holds no private key");
    }
    return key.getPrivateKeys().get(0).getBytes(StandardCharsets.UTF_8);
  }

  private static String passphrase(SSHUserPrivateKey key) {
    String passphrase = Secret.toString(key.getPassphrase());
    return passphrase.isEmpty() ? null : passphrase;
  }
}
