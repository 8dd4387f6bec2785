package io.odoogitops.jenkins.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.odoogitops.ReleaseException;
import io.odoogitops.jenkins.testing.TestKeys;
import io.odoogitops.trust.Role;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The global configuration's trust root: pasted or a path on the controller, parsed by the core's parser. */
class TrustRootTextTest {

  @TempDir
  Path dir;

  @Test
  void aPastedTrustRootIsTheCoresTrustRootAndSurvivesTheTripToTheAgent() throws Exception {
    String text = root();
    TrustRootText setting = TrustRootText.of(text);

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(setting);
    }
    TrustRootText travelled;
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      travelled = (TrustRootText) in.readObject();
    }
    assertThat(travelled.parse().sshSigners(Role.RELEASE_MANAGER).entries()).hasSize(1);
    assertThat(travelled.parse().describe()).contains("1 ");
  }

  @Test
  void aPathOnTheControllerIsReadThere() throws Exception {
    Path file = Files.writeString(dir.resolve("trust-root"), root());
    TrustRootText setting = TrustRootText.of(file.toString());
    assertThat(setting.source()).isEqualTo(file.toString());
    assertThat(setting.parse().sshSigners(Role.POLICY_ADMIN).entries()).hasSize(1);
  }

  @Test
  void blankIsNoTrustRoot() {
    assertThat(TrustRootText.of("  ")).isNull();
    assertThat(TrustRootText.of(null)).isNull();
  }

  @Test
  void anInvalidTrustRootIsRefusedWithTheCoresMessage() throws Exception {
    String key = TestKeys.publicKey(TestKeys.ed25519(dir, "k"));
    assertThatThrownBy(() -> TrustRootText.of("alice " + key + "\n")).isInstanceOf(ReleaseException.class)
        .hasMessageContaining("has no role");
    assertThatThrownBy(() -> TrustRootText.of(root() + "#@openpgp release-manager bot bot.asc\n"))
        .isInstanceOf(ReleaseException.class).hasMessageContaining("cannot name files");
  }

  private String root() throws Exception {
    String release = TestKeys.publicKey(TestKeys.ed25519(dir, "release-" + System.nanoTime()));
    String admin = TestKeys.publicKey(TestKeys.ed25519(dir, "admin-" + System.nanoTime()));
    return "#@role release-manager\njenkins " + release + "\n#@role policy-admin\nerin " + admin + "\n";
  }
}
