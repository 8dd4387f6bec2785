package io.odoogitops.cli.demo;

import io.odoogitops.ReleaseException;
import io.odoogitops.signing.SshKeys;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;

/**
 * The demo's keys, made in-process so that the demo needs neither ssh-keygen nor gpg: one OpenSSH private key file
 * per person or role under {@code keys/}, readable by its owner only. ECDSA P-256 rather than Ed25519 because the
 * sshd key writer on the classpath cannot write the JDK's Ed25519 keys; the product verifies both alike.
 */
final class DemoKeys {

  /** Who holds a key in the demo, and why. */
  static final Map<String, String> HOLDERS = holders();

  private final Path dir;
  private final Map<String, String> publicKeys = new LinkedHashMap<>();

  private DemoKeys(Path dir) {
    this.dir = dir;
  }

  private static Map<String, String> holders() {
    Map<String, String> holders = new LinkedHashMap<>();
    holders.put("carol", "release manager, starts the promotions");
    holders.put("dave", "release manager, votes");
    holders.put("erin", "release manager, votes");
    holders.put("alice", "policy admin, signs odoo-gitops.yaml");
    holders.put("release-bot", "the release key, signs promotions and rollbacks");
    holders.put("ci-dryrun", "the CI job that signs dry-run reports");
    holders.put("mallory", "can push to the GitOps repository, holds no role");
    return holders;
  }

  static DemoKeys generate(Path dir) throws IOException {
    DemoKeys keys = new DemoKeys(Files.createDirectories(dir));
    for (String holder : HOLDERS.keySet()) {
      keys.write(holder);
    }
    return keys;
  }

  private void write(String holder) throws IOException {
    KeyPair pair;
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(256);
      pair = generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw ReleaseException.infrastructure("this JRE cannot generate ECDSA P-256 keys for the demo", e);
    }
    Path file = key(holder);
    Files.deleteIfExists(file);
    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.TRUNCATE_EXISTING)) {
      OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(pair, holder + "@demo", null, out);
    } catch (GeneralSecurityException e) {
      throw ReleaseException.infrastructure("cannot write the demo key of " + holder, e);
    }
    String publicKey = SshKeys.format(pair.getPublic()) + " " + holder + "@demo";
    Files.writeString(dir.resolve(holder + ".pub"), publicKey + "\n");
    publicKeys.put(holder, publicKey);
  }

  /** The private key file of {@code holder}. */
  Path key(String holder) {
    return dir.resolve(holder);
  }

  /** The public key line of {@code holder}, as ssh-keygen prints it. */
  String publicKey(String holder) {
    return publicKeys.get(holder);
  }

  /**
   * Writes the trust root: alice may change the policy, release-bot may sign promotions. It lives in the demo's
   * workspace, outside the GitOps repository, where the promotion credential cannot change it.
   */
  Path writeTrustRoot(Path file) throws IOException {
    return Files.writeString(file, "# odoo-gitops trust root of the demo, kept outside the GitOps repository\n"
        + "#@role policy-admin\n"
        + "alice namespaces=\"git\" " + publicKey("alice") + "\n"
        + "#@role release-manager\n"
        + "release-bot namespaces=\"git\" " + publicKey("release-bot") + "\n");
  }
}
