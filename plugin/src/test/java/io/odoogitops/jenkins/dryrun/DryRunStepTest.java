package io.odoogitops.jenkins.dryrun;

import static io.odoogitops.jenkins.testing.GitOpsRepositoryFixture.DIGEST;
import static io.odoogitops.jenkins.testing.GitOpsRepositoryFixture.IMAGE;
import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.Run;
import io.odoogitops.jenkins.testing.StagingDatabaseFixture;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * odooDryRun in a real Pipeline against a real PostgreSQL: the migration runs on a template clone, the reports are
 * archived, the JUnit XML is left for the junit step, the build page gets the summary, and the password stays out of
 * the log.
 */
@WithJenkins
class DryRunStepTest {

  private StagingDatabaseFixture database;

  @BeforeEach
  void setUp(JenkinsRule j) throws Exception {
    database = StagingDatabaseFixture.start();
    database.configureJenkins(j);
  }

  @AfterEach
  void tearDown() throws Exception {
    if (database != null) {
      database.close();
    }
  }

  @Test
  void aMigrationIsMeasuredOnACloneAndReported(JenkinsRule j) throws Exception {
    WorkflowJob job = j.createProject(WorkflowJob.class);
    job.setDefinition(new CpsFlowDefinition("""
        node {
          writeFile file: 'migrations/V1__partner_ref.sql', text: 'ALTER TABLE res_partner ADD COLUMN ref varchar;'
          def dry = odooDryRun image: '%s', migrations: 'migrations'
          echo "verdict ${dry.verdict} for ${dry.imageDigest}; junit at ${dry.junit}"
          echo "junit exists: ${fileExists(dry.junit)}"
        }
        """.formatted(IMAGE), true));
    WorkflowRun build = j.buildAndAssertSuccess(job);

    j.assertLogContains("for " + DIGEST + "; junit at odoo-gitops-dry-run/dry-run-junit.xml", build);
    j.assertLogContains("junit exists: true", build);
    j.assertLogNotContains(StagingDatabaseFixture.PASSWORD, build);
    DryRunAction action = build.getAction(DryRunAction.class);
    // WARN: the linter flags ALTER TABLE without SET lock_timeout; the migration itself succeeded.
    assertThat(action.getVerdict()).isEqualTo("WARN");
    assertThat(action.getReasons()).anyMatch(r -> r.contains("missing-lock-timeout"));
    assertThat(action.getMigrations()).singleElement()
        .satisfies(m -> assertThat(m.getMigration()).isEqualTo("V1 partner ref"));
    assertThat(build.getArtifacts()).extracting(Run.Artifact::getFileName)
        .contains("dry-run.json", "dry-run.json.sha256", "dry-run.md");
  }
}
