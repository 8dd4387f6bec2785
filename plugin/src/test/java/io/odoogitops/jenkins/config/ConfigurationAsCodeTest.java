package io.odoogitops.jenkins.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.casc.misc.junit.jupiter.AbstractRoundTripTest;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** unclassified: odooGitops: ... applies, exports, re-applies through the UI and survives a restart. */
@WithJenkins
class ConfigurationAsCodeTest extends AbstractRoundTripTest {

  @Override
  protected void assertConfiguredAsExpected(JenkinsRule j, String configContent) {
    OdooGitOpsConfiguration config = OdooGitOpsConfiguration.get();
    assertThat(config.getGitopsRepositoryUrl()).isEqualTo("https://git.example.com/ops/gitops.git");
    assertThat(config.getGitopsBranch()).isEqualTo("release");
    assertThat(config.getGitopsCredentialsId()).isEqualTo("gitops-token");
    assertThat(config.committerName()).isEqualTo("Release Bot");
    assertThat(config.committerEmail()).isEqualTo("release@example.com");
    assertThat(config.isAcceptNewHostKeys()).isFalse();
    assertThat(config.getRegistry()).isEqualTo("registry.example.com");
    assertThat(config.getRegistryCredentialsId()).isEqualTo("registry-push");
    assertThat(config.getStagingDatabaseUrl()).isEqualTo("jdbc:postgresql://staging.example.com:5432/prod_copy");
    assertThat(config.getStagingDatabaseCredentialsId()).isEqualTo("staging-db");
    assertThat(config.getKubernetesServerUrl()).isEqualTo("https://k8s.example.com:6443");
    assertThat(config.getKubernetesCredentialsId()).isEqualTo("k8s-verify-token");
    assertThat(config.getTrustRoot()).isEqualTo("/etc/odoo-gitops/trust-root");
    assertThat(config.getVoteSigningCredentialsId()).isEqualTo("odoo-gitops-vote-key");
    assertThat(config.isRecordVotes()).isTrue();
    assertThat(config.getReleaseKeyCredentialsId()).isEqualTo("odoo-gitops-release-key");
    assertThat(config.getReleaseKeyFormat()).isEqualTo("openpgp");
    assertThat(config.getReleaseKeyPassphraseCredentialsId()).isEqualTo("odoo-gitops-release-passphrase");
  }

  @Override
  protected String stringInLogExpected() {
    return ".gitopsRepositoryUrl = https://git.example.com/ops/gitops.git";
  }
}
