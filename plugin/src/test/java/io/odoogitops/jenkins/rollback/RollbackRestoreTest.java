package io.odoogitops.jenkins.rollback;

import static io.odoogitops.jenkins.rollback.RestoreRequiredRelease.DIGEST;
import static io.odoogitops.jenkins.rollback.RestoreRequiredRelease.INITIAL;
import static io.odoogitops.jenkins.rollback.RestoreRequiredRelease.POINT_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import hudson.AbortException;
import hudson.util.StreamTaskListener;
import io.odoogitops.jenkins.gate.LandingPolicy;
import io.odoogitops.jenkins.repository.GitOpsAccess;
import io.odoogitops.jenkins.step.BuildIdentity;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * odooRollback's restore paths against a real GitOps repository, no Jenkins needed: the step's work (what runs on the
 * agent) with the step's parameters, after a RESTORE_REQUIRED release landed with a logical-dump restore point. The
 * refusal carries the restore plan into the step's failure; image-only and restored-database rollbacks land with
 * their trailers; the core's checks of the parameters fail the step before anything is read.
 */
class RollbackRestoreTest {

  @TempDir
  Path tmp;

  private RestoreRequiredRelease release;
  private Path dump;

  @BeforeEach
  void landARestoreRequiredRelease() throws Exception {
    release = RestoreRequiredRelease.create(tmp);
    dump = release.dump;
  }

  /** The work odooRollback runs on the agent, with the step as a Pipeline would configure it. */
  private Map<String, Object> rollback(Consumer<OdooRollbackStep> parameters) throws Exception {
    OdooRollbackStep step = new OdooRollbackStep("production", "odoo");
    step.setReason("invoices fail to post");
    parameters.accept(step);
    GitOpsAccess access = new GitOpsAccess(release.url, "main", null, null, null, null, null, false,
        "Release Bot", "release@example.com", tmp.resolve("agent-cache").toString());
    LandingPolicy noGate = new LandingPolicy("production", "odoo", null, null, null, null, null, null, null,
        List.of());
    return new OdooRollbackStep.RollbackCallable(access, new StreamTaskListener(new ByteArrayOutputStream(), StandardCharsets.UTF_8), step,
        new BuildIdentity("oncall", "https://jenkins.example.com/job/rollback/7/"), noGate, null).call();
  }

  @Test
  void aPlainRollbackIsRefusedWithTheRestorePlanAndNothingIsCommitted() throws Exception {
    String before = release.head();
    assertThatThrownBy(() -> rollback(step -> { }))
        .isInstanceOfSatisfying(AbortException.class, e -> assertThat(e.getMessage())
            .startsWith("refused: rollback of odoo in production refused: the release ")
            .contains("was RESTORE_REQUIRED", "Nothing was committed", "--restored-database NAME",
                "--image-only --justification TEXT")
            .contains("RESTORE PLAN for odoo in production back to the", POINT_ID, "DATA LOSS",
                "pg_restore --jobs=2", dump.toString())
            .doesNotContain("\tat io.odoogitops"));
    assertThat(release.head()).isEqualTo(before);
    assertThat(release.values()).contains("digest: " + DIGEST);
  }

  @Test
  void aPlanThatCannotBeMadeHereSaysWhyAndHowToPrintItElsewhere() throws Exception {
    Files.delete(dump.resolve("toc.dat"));
    assertThatThrownBy(() -> rollback(step -> { }))
        .isInstanceOf(AbortException.class)
        .hasMessageContaining("was RESTORE_REQUIRED")
        .hasMessageContaining("the restore plan cannot be made here: the dump of the restore point is gone")
        .hasMessageContaining("print it where it can: git show ")
        .hasMessageContaining("odoo-gitops restore-point plan --env production --app odoo");
  }

  @Test
  void imageOnlyWithAJustificationLandsAudited() throws Exception {
    Map<String, Object> result = rollback(step -> {
      step.setImageOnly(true);
      step.setJustification("  the 17.0-3 hotfix reads the new column; fix forward (INC-42)\n");
    });
    assertThat(result).containsEntry("outcome", "LANDED").containsEntry("digest", INITIAL);
    assertThat(release.head()).contains("Rollback-Of: p-2", "Rollback-Image-Only: true",
        "Image-Only-Justification: the 17.0-3 hotfix reads the new column; fix forward (INC-42)\n");
    assertThat(release.values()).contains("digest: " + INITIAL).contains("host: \"odoo-db-rw.shop.svc\"");
  }

  @Test
  void theRestoredDatabaseIsSwitchedInTheSameCommitAsTheOldDigest() throws Exception {
    Map<String, Object> result = rollback(
        step -> step.setRestoredDatabase(" odoo-db-restore-20261130021507-rw.shop.svc "));
    assertThat(result).containsEntry("outcome", "LANDED").containsEntry("digest", INITIAL);
    assertThat(release.head()).contains("Restored-Database: odoo-db-restore-20261130021507-rw.shop.svc",
        "Restored-From: dump " + POINT_ID);
    assertThat(release.values()).contains("digest: " + INITIAL)
        .contains("host: \"odoo-db-restore-20261130021507-rw.shop.svc\"   # the live database");
  }

  @Test
  void theCoreChecksTheParametersAsItDoesTheClis() throws Exception {
    String before = release.head();
    assertThatThrownBy(() -> rollback(step -> step.setImageOnly(true)))
        .isInstanceOf(AbortException.class).hasMessageStartingWith("bad_input: --image-only needs --justification");
    assertThatThrownBy(() -> rollback(step -> {
      step.setImageOnly(true);
      step.setJustification("x".repeat(501));
    })).isInstanceOf(AbortException.class).hasMessageContaining("has 501 characters; at most 500");
    assertThatThrownBy(() -> rollback(
        step -> step.setRestoredDatabase("odoo; DROP DATABASE odoo")))
        .isInstanceOf(AbortException.class).hasMessageStartingWith("bad_input: --restored-database 'odoo; DROP");
    assertThatThrownBy(() -> rollback(step -> step.setJustification("why")))
        .isInstanceOf(AbortException.class).hasMessageContaining("--justification only applies with --image-only");
    assertThat(release.head()).isEqualTo(before);
  }
}
