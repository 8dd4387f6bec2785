package io.odoogitops.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.odoogitops.ReleaseException;
import io.odoogitops.signing.SshKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trust root file's conventions and the commit parsing that signature checks rely on, without outside tools. */
class TrustRootTest {

  @TempDir Path dir;
  String key;

  @BeforeEach
  void setUp() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    key = SshKeys.format(generator.generateKeyPair().getPublic());
  }

  @Test
  void rolesComeFromTheirSectionsAndAKeyMayHoldBoth() {
    TrustRoot root = TrustRoot.parse("# comment\n#@role policy-admin\nalice " + key + "\n#@role release-manager\n"
        + "alice " + key + "\nbot " + key + "\n", "root", name -> new byte[0]);

    assertThat(root.sshSigners(Role.POLICY_ADMIN).entries()).extracting(e -> e.principals()).containsExactly("alice");
    assertThat(root.sshSigners(Role.RELEASE_MANAGER).entries()).extracting(e -> e.principals())
        .containsExactly("alice", "bot");
    assertThat(root.describe()).isEqualTo("trust root root (2 release-manager keys, 1 policy-admin key)");
  }

  @Test
  void anOpenPgpKeyFileOutsideTheRootsDirectoryIsRefused() throws Exception {
    Path rootDir = Files.createDirectories(dir.resolve("etc"));
    Files.writeString(dir.resolve("outside.asc"), "not even a key");
    Path file = Files.writeString(rootDir.resolve("trust-root"), "#@role policy-admin\nalice " + key + "\n"
        + "#@openpgp release-manager bot ../outside.asc\n");

    assertThatThrownBy(() -> TrustRoot.read(file)).isInstanceOf(ReleaseException.class)
        .hasMessageContaining("outside its own directory");
  }

  @Test
  void keyFilesAreReadFromTheRootsOwnDirectoryOnly() throws Exception {
    Path rootDir = Files.createDirectories(dir.resolve("etc"));
    Files.writeString(rootDir.resolve("bot.asc"), "armored");
    Files.writeString(dir.resolve("outside.asc"), "not even a key");
    var files = TrustRoot.keyFilesNextTo(rootDir.resolve("trust-root"));

    assertThat(new String(files.apply("bot.asc"), StandardCharsets.UTF_8)).isEqualTo("armored");
    assertThatThrownBy(() -> files.apply("../outside.asc")).isInstanceOf(ReleaseException.class)
        .hasMessageContaining("outside its own directory");
  }

  @Test
  void aMalformedEntryNamesItsLine() {
    assertThatThrownBy(() -> TrustRoot.parse("#@role policy-admin\nalice ssh-ed25519\n", "root", n -> new byte[0]))
        .isInstanceOf(ReleaseException.class).hasMessageStartingWith("trust root root:2:");
    assertThatThrownBy(() -> TrustRoot.parse("#@role policy-admin\nalice " + key + "\n#@openpgp release-manager bot\n",
        "root", n -> new byte[0])).hasMessageContaining("root:3: write '#@openpgp ROLE PRINCIPAL FILE'");
  }

  @Test
  void twoSignatureHeadersMakeACommitInvalid() {
    String signature = "-----BEGIN SSH SIGNATURE-----\n U1NIU0lH\n -----END SSH SIGNATURE-----";
    String raw = "tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n"
        + "author A <a@example.com> 1700000000 +0000\n"
        + "committer A <a@example.com> 1700000000 +0000\n"
        + "gpgsig " + signature + "\n"
        + "gpgsig " + signature + "\n"
        + "\nmessage\n";
    RevCommit commit = RevCommit.parse(raw.getBytes(StandardCharsets.UTF_8));
    TrustRoot root = TrustRoot.parse("#@role policy-admin\na " + key + "\n#@role release-manager\nb " + key + "\n",
        "root", n -> new byte[0]);

    assertThat(CommitSignatures.verify(commit, root, Role.RELEASE_MANAGER).status())
        .isEqualTo(CommitSignature.Status.INVALID);
  }

  @Test
  void theSignedPayloadIsTheCommitWithoutItsSignatureHeaders() {
    String raw = "tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n"
        + "committer A <a@example.com> 1700000000 +0000\n"
        + "gpgsig -----BEGIN PGP SIGNATURE-----\n \n abc\n -----END PGP SIGNATURE-----\n"
        + "gpgsig-sha256 -----BEGIN PGP SIGNATURE-----\n def\n -----END PGP SIGNATURE-----\n"
        + "\nmessage\n\n gpgsig in the body stays\n";

    CommitSignatures.Parts parts = CommitSignatures.split(raw.getBytes(StandardCharsets.UTF_8));

    assertThat(new String(parts.payload(), StandardCharsets.UTF_8)).isEqualTo(
        "tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\ncommitter A <a@example.com> 1700000000 +0000\n"
            + "\nmessage\n\n gpgsig in the body stays\n");
    assertThat(parts.signature()).isEqualTo("-----BEGIN PGP SIGNATURE-----\n\nabc\n-----END PGP SIGNATURE-----\n");
  }
}
