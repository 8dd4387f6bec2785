package io.odoogitops.jenkins.config;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.util.FormValidation;
import io.odoogitops.jenkins.testing.TestKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** The form checks of the global configuration say what is wrong and how to write it. */
@WithJenkins
class ConfigurationValidationTest {

  @Test
  void repositoryUrls(JenkinsRule j) {
    OdooGitOpsConfiguration config = j.jenkins.getDescriptorByType(OdooGitOpsConfiguration.class);
    assertThat(config.doCheckGitopsRepositoryUrl("https://git.example.com/ops/gitops.git").kind)
        .isEqualTo(FormValidation.Kind.OK);
    assertThat(config.doCheckGitopsRepositoryUrl("git@git.example.com:ops/gitops.git").kind)
        .isEqualTo(FormValidation.Kind.OK);
    FormValidation token = config.doCheckGitopsRepositoryUrl("https://bot:s3cret@git.example.com/ops/gitops.git");
    assertThat(token.kind).isEqualTo(FormValidation.Kind.ERROR);
    assertThat(token.getMessage()).contains("credential").doesNotContain("s3cret");
    assertThat(config.doCheckGitopsRepositoryUrl("ftp://example.com/x").getMessage()).contains("ftp");
    assertThat(config.doCheckGitopsRepositoryUrl("http://git.example.com/x").kind)
        .isEqualTo(FormValidation.Kind.WARNING);
    assertThat(config.doCheckGitopsRepositoryUrl("").kind).isEqualTo(FormValidation.Kind.ERROR);
  }

  @Test
  void committerDatabaseAndRegistry(JenkinsRule j) {
    OdooGitOpsConfiguration config = j.jenkins.getDescriptorByType(OdooGitOpsConfiguration.class);
    assertThat(config.doCheckCommitter("Release Bot <release@example.com>").kind).isEqualTo(FormValidation.Kind.OK);
    assertThat(config.doCheckCommitter("release@example.com").getMessage()).contains("Name <email");
    assertThat(config.doCheckStagingDatabaseUrl("jdbc:postgresql://db:5432/prod_copy").kind)
        .isEqualTo(FormValidation.Kind.OK);
    assertThat(config.doCheckStagingDatabaseUrl("postgres://db/prod").getMessage()).contains("jdbc:postgresql://");
    assertThat(config.doCheckStagingDatabaseUrl("jdbc:postgresql://db/prod?password=x").kind)
        .isEqualTo(FormValidation.Kind.ERROR);
    assertThat(config.doCheckRegistry("https://registry.example.com").getMessage()).contains("host only");
    assertThat(config.doCheckRegistry("127.0.0.1:5000").kind).isEqualTo(FormValidation.Kind.OK);
  }

  @Test
  void trustRootWithTheCoresMessage(JenkinsRule j, @TempDir Path tmp) throws Exception {
    OdooGitOpsConfiguration config = j.jenkins.getDescriptorByType(OdooGitOpsConfiguration.class);
    String key = TestKeys.publicKey(TestKeys.ed25519(tmp, "k"));
    String root = "#@role release-manager\njenkins " + key + "\n#@role policy-admin\nerin " + key + "\n";
    FormValidation pasted = config.doCheckTrustRoot(root);
    assertThat(pasted.kind).isEqualTo(FormValidation.Kind.OK);
    assertThat(pasted.getMessage()).contains("1 release-manager key");
    Path file = Files.writeString(tmp.resolve("trust-root"), root);
    assertThat(config.doCheckTrustRoot(file.toString()).kind).isEqualTo(FormValidation.Kind.OK);
    assertThat(config.doCheckTrustRoot("jenkins " + key).getMessage()).contains("has no role");
    assertThat(config.doCheckTrustRoot("").kind).isEqualTo(FormValidation.Kind.WARNING);
    assertThat(config.doCheckReleaseKeyFormat("pgp").kind).isEqualTo(FormValidation.Kind.ERROR);
    assertThat(config.doCheckReleaseKeyFormat("openpgp").kind).isEqualTo(FormValidation.Kind.OK);
  }
}
