package io.odoogitops.jenkins.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * Manage Jenkins > System: every setting of Odoo GitOps survives the form (config.jelly) being shown and submitted
 * unchanged. ConfigurationAsCodeTest does the same through configuration-as-code.
 */
@WithJenkins
class ConfigurationRoundTripTest {

  private static final String CA = "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUE\n-----END CERTIFICATE-----";

  @Test
  void everySettingSurvivesTheSystemConfigurationForm(JenkinsRule j) throws Exception {
    OdooGitOpsConfiguration config = OdooGitOpsConfiguration.get();
    config.setGitopsRepositoryUrl("https://git.example.com/ops/gitops.git");
    config.setGitopsBranch("release");
    config.setGitopsCredentialsId("gitops-token");
    config.setSshKnownHosts("git.example.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBSK");
    config.setAcceptNewHostKeys(true);
    config.setCommitter("Release Bot <release@example.com>");
    config.setRegistry("registry.example.com");
    config.setRegistryCredentialsId("registry-push");
    config.setStagingDatabaseUrl("jdbc:postgresql://staging.example.com:5432/prod_copy");
    config.setStagingDatabaseCredentialsId("staging-db");
    config.setKubernetesServerUrl("https://k8s.example.com:6443");
    config.setKubernetesCredentialsId("k8s-verify-token");
    config.setKubernetesCaCertificate(CA);
    config.setTrustRoot("/etc/odoo-gitops/trust-root");
    config.setVoteSigningCredentialsId("odoo-gitops-vote-key");
    config.setRecordVotes(true);
    config.setReleaseKeyCredentialsId("odoo-gitops-release-key");
    config.setReleaseKeyFormat("openpgp");
    config.setReleaseKeyPassphraseCredentialsId("odoo-gitops-release-passphrase");

    j.configRoundtrip();

    OdooGitOpsConfiguration after = OdooGitOpsConfiguration.get();
    assertThat(after.getGitopsRepositoryUrl()).isEqualTo("https://git.example.com/ops/gitops.git");
    assertThat(after.getGitopsBranch()).isEqualTo("release");
    assertThat(after.getGitopsCredentialsId()).isEqualTo("gitops-token");
    assertThat(after.getSshKnownHosts()).isEqualTo("git.example.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBSK");
    assertThat(after.isAcceptNewHostKeys()).isTrue();
    assertThat(after.getCommitter()).isEqualTo("Release Bot <release@example.com>");
    assertThat(after.getRegistry()).isEqualTo("registry.example.com");
    assertThat(after.getRegistryCredentialsId()).isEqualTo("registry-push");
    assertThat(after.getStagingDatabaseUrl()).isEqualTo("jdbc:postgresql://staging.example.com:5432/prod_copy");
    assertThat(after.getStagingDatabaseCredentialsId()).isEqualTo("staging-db");
    assertThat(after.getKubernetesServerUrl()).isEqualTo("https://k8s.example.com:6443");
    assertThat(after.getKubernetesCredentialsId()).isEqualTo("k8s-verify-token");
    assertThat(after.getKubernetesCaCertificate()).isEqualTo(CA);
    assertThat(after.getTrustRoot()).isEqualTo("/etc/odoo-gitops/trust-root");
    assertThat(after.getVoteSigningCredentialsId()).isEqualTo("odoo-gitops-vote-key");
    assertThat(after.isRecordVotes()).isTrue();
    assertThat(after.getReleaseKeyCredentialsId()).isEqualTo("odoo-gitops-release-key");
    assertThat(after.getReleaseKeyFormat()).isEqualTo("openpgp");
    assertThat(after.getReleaseKeyPassphraseCredentialsId()).isEqualTo("odoo-gitops-release-passphrase");
  }
}
