package io.odoogitops.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The allowed_signers format, strictly, and answers that agree with ssh-keygen's. */
class AllowedSignersTest {

  static final Instant NOW = Instant.parse("2026-11-20T10:00:00Z");
  @TempDir static Path dir;
  static Path carolKey;
  static String carol;
  static String dave;

  @BeforeAll
  static void keys() throws Exception {
    SshKeygen.require();
    carolKey = SshKeygen.generate(dir, "carol", "ed25519", null, null);
    carol = SshKeygen.publicKey(carolKey);
    dave = SshKeygen.publicKey(SshKeygen.generate(dir, "dave", "ecdsa", "256", null));
  }

  @Test
  void quotedPrincipalsOptionsAndCommentsAreRead() {
    AllowedSigners signers = AllowedSigners.parse("""
        # release managers

        "carol@example.com,carol" namespaces="odoo-gitops,git",valid-after="20260101",valid-before="202712312359Z" %s
        *@ops.example.com,!mallory@ops.example.com %s
        """.formatted(carol, dave), "allowed_signers");
    PublicKey carolPub = SshKeys.parse(carol);
    PublicKey davePub = SshKeys.parse(dave);

    assertThat(signers.entries()).hasSize(2);
    assertThat(signers.check("carol", carolPub, "odoo-gitops", NOW).allowed()).isTrue();
    assertThat(signers.check("carol", carolPub, "file", NOW).problem())
        .isEqualTo(AllowedSigners.Problem.NAMESPACE_NOT_ALLOWED);
    assertThat(signers.check("carol", carolPub, "git", Instant.parse("2028-01-01T00:00:00Z")).problem())
        .isEqualTo(AllowedSigners.Problem.EXPIRED);
    assertThat(signers.check("carol", carolPub, "git", Instant.parse("2025-06-01T00:00:00Z")).problem())
        .isEqualTo(AllowedSigners.Problem.NOT_YET_VALID);
    assertThat(signers.check("dave@ops.example.com", davePub, "odoo-gitops", NOW).allowed()).isTrue();
    assertThat(signers.check("mallory@ops.example.com", davePub, "odoo-gitops", NOW).problem())
        .isEqualTo(AllowedSigners.Problem.OTHER_PRINCIPAL);
    assertThat(signers.check("dave", carolPub, "odoo-gitops", NOW).detail())
        .contains("belongs to carol@example.com,carol, not to dave");
    assertThat(signers.principalsFor(carolPub, "odoo-gitops", NOW)).containsExactly("carol@example.com", "carol");
  }

  @Test
  void everyMalformedLineIsRefusedWithFileAndLine() {
    assertThatThrownBy(() -> AllowedSigners.parse("# ok\ncarol\n", "signers")).hasMessage(
        "signers:2: no key after the principals; write 'PRINCIPALS [OPTIONS] KEYTYPE BASE64'");
    assertThatThrownBy(() -> AllowedSigners.parse("carol cert-authority " + carol, "signers"))
        .hasMessageContaining("signers:1: cert-authority is not supported");
    assertThatThrownBy(() -> AllowedSigners.parse("carol no-touch-required " + carol, "signers"))
        .hasMessageContaining("signers:1: unknown option 'no-touch-required'");
    assertThatThrownBy(() -> AllowedSigners.parse("carol namespaces=odoo-gitops " + carol, "signers"))
        .hasMessageContaining("needs a quoted value");
    assertThatThrownBy(() -> AllowedSigners.parse("carol valid-before=\"2027\" " + carol, "signers"))
        .hasMessageContaining("is not a time");
    assertThatThrownBy(() -> AllowedSigners.parse("\"carol " + carol, "signers"))
        .hasMessageContaining("unterminated quote");
    assertThatThrownBy(() -> AllowedSigners.parse("carol ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA==", "signers"))
        .hasMessageContaining("signers:1:").hasMessageContaining("cannot be decoded");
    assertThatThrownBy(() -> AllowedSigners.parse("carol ssh-dss AAAAB3NzaC1kc3M=", "signers"))
        .hasMessageContaining("unsupported key type 'ssh-dss'");
    assertThatThrownBy(() -> AllowedSigners.parse("carol " + dave.replace("ecdsa-sha2-nistp256", "ssh-ed25519"),
        "signers")).hasMessageContaining("declared as ssh-ed25519");
    assertThatThrownBy(() -> AllowedSigners.parse("carol valid-after=\"20270101\",valid-before=\"20260101\" "
        + carol, "signers")).hasMessageContaining("never valid");
  }

  @Test
  void patternsAndValidityAgreeWithSshKeygen() throws Exception {
    String file = "*@example.com,!mallory@example.com namespaces=\"odoo-*\" " + carol + "\n"
        + "erin valid-before=\"20200101Z\" " + carol + "\n";
    Path signers = Files.writeString(dir.resolve("patterns"), file);
    byte[] message = "vote".getBytes(StandardCharsets.UTF_8);
    String signature = SshKeygen.sign(carolKey, "odoo-gitops", message);
    AllowedSigners parsed = AllowedSigners.parse(file, "patterns");
    PublicKey key = SshKeys.parse(carol);

    for (String identity : new String[] {"carol@example.com", "mallory@example.com", "erin", "carol"}) {
      boolean bySshKeygen = SshKeygen.verify(signers, identity, "odoo-gitops", signature, message, dir).exit() == 0;
      assertThat(parsed.check(identity, key, "odoo-gitops", Instant.now()).allowed()).as(identity)
          .isEqualTo(bySshKeygen);
    }
  }
}
