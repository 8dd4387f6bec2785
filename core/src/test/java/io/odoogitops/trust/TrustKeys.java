package io.odoogitops.trust;

import io.odoogitops.signing.SshKeygen;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The keys of a trust-root test, made by the real tools: SSH keys of a policy admin ({@code admin}), a release
 * manager ({@code release}) and an outsider ({@code mallory}), an OpenPGP release key ({@code release-bot}) in the
 * test's GnuPG home, and the trust root file naming them.
 *
 * @param gpgRelease the OpenPGP release key's fingerprint
 */
public record TrustKeys(Path admin, Path release, Path mallory, String gpgRelease, Path trustRoot) {

  public static TrustKeys generate(Path dir, Tools tools) throws Exception {
    Path admin = SshKeygen.generate(dir, "admin", "ed25519", null, null);
    Path release = SshKeygen.generate(dir, "release", "ed25519", null, null);
    Path mallory = SshKeygen.generate(dir, "mallory", "ed25519", null, null);
    String gpgRelease = tools.generateGpgKey("Release Bot <release-bot@example.com>", "");
    tools.exportPublic(gpgRelease, dir.resolve("release-bot.asc"));
    Path trustRoot = Files.writeString(dir.resolve("trust-root"), "# odoo-gitops trust root\n"
        + "#@role policy-admin\n"
        + "admin namespaces=\"git\" " + SshKeygen.publicKey(admin) + "\n"
        + "#@role release-manager\n"
        + "release " + SshKeygen.publicKey(release) + "\n"
        + "#@openpgp release-manager release-bot release-bot.asc\n");
    return new TrustKeys(admin, release, mallory, gpgRelease, trustRoot);
  }

  /** The armored secret OpenPGP release key, exported by gpg. */
  public Path gpgReleaseSecret(Tools tools) throws Exception {
    return tools.exportSecret(gpgRelease, "", trustRoot.resolveSibling("release-bot.secret.asc"));
  }
}
