package io.odoogitops.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The {@code allowedSigners} block: both shapes bind, every mistake is reported with its line. */
class AllowedSignersConfigTest {

  static final String KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBfZ7KcbvEv6yVmMq7XSBDWgDJZSDgLlVYuUpUE2q7lN carol";
  static final String BASE = """
      applications:
        odoo: { image: registry.example.com/acme/odoo }
      environments:
        production: { path: envs/production, layout: kustomize }
      """;

  private static ReleaseConfig load(String yaml) {
    return ConfigLoader.load((BASE + yaml).getBytes(StandardCharsets.UTF_8), "odoo-gitops.yaml");
  }

  @Test
  void inlineKeysAndAFilePathBind() {
    ReleaseConfig inline = load("allowedSigners:\n  carol: \"" + KEY + "\"\n  dave: [\"" + KEY + "\"]\n");
    ReleaseConfig file = load("allowedSigners: security/allowed_signers\n");

    assertThat(inline.allowedSigners().keys()).containsOnlyKeys("carol", "dave");
    assertThat(inline.allowedSigners().keys().get("dave")).containsExactly(KEY);
    assertThat(file.allowedSigners().file()).isEqualTo("security/allowed_signers");
    assertThat(load("").allowedSigners()).isNull();
  }

  @Test
  void mistakesAreReportedWithTheirLines() {
    assertThatThrownBy(() -> load("allowedSigners:\n  carol: \"ssh-ed25519 notbase64!\"\n  \"bad id\": [\"" + KEY
        + "\"]\n  erin: []\n"))
        .hasMessageContaining("odoo-gitops.yaml:6: allowedSigners.carol.0: the ssh-ed25519 key is not valid base64")
        .hasMessageContaining("odoo-gitops.yaml:7: allowedSigners.bad id: 'bad id' cannot sign votes")
        .hasMessageContaining("odoo-gitops.yaml:8: allowedSigners.erin: lists no key");
    assertThatThrownBy(() -> load("allowedSigners: ../outside\n")).hasMessageContaining("odoo-gitops.yaml:5:");
    assertThatThrownBy(() -> load("allowedSigners: 42\n")).hasMessageContaining("odoo-gitops.yaml:5:")
        .hasMessageContaining("either the path of an allowed_signers file");
    assertThatThrownBy(() -> load("allowedSigners:\n  carol: \"ssh-ed25519-cert-v01@openssh.com AAAA\"\n"))
        .hasMessageContaining("SSH certificate");
  }

  @Test
  void noEnvironmentMayLiveAmongTheVotes() {
    assertThatThrownBy(() -> ConfigLoader.load("""
        applications:
          odoo: { image: registry.example.com/acme/odoo }
        environments:
          production: { path: votes/production, layout: kustomize }
        """.getBytes(StandardCharsets.UTF_8), "odoo-gitops.yaml"))
        .hasMessageContaining("odoo-gitops.yaml:4:").hasMessageContaining("is below votes/");
  }
}
