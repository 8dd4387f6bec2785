package io.odoogitops.gitops;

import io.odoogitops.ImageRef;
import io.odoogitops.ReleaseException;
import io.odoogitops.cluster.GitOpsRollback;
import io.odoogitops.policy.DryRunEvidence;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.odoogitops.audit.Audit;
import io.odoogitops.audit.AuditReport;
import io.odoogitops.audit.Check;
import io.odoogitops.restore.RestorePoint;
import io.odoogitops.restore.RestorePointSignature;
import io.odoogitops.signing.SshKeygen;
import io.odoogitops.signing.SshSigner;
import io.odoogitops.testing.Prerequisites;
import io.odoogitops.testing.Requires;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Signed restore points through a real git daemon: a policy with {@code restorePointSigners} refuses an unsigned or
 * wrongly signed point, the promotion commits the signature next to the evidence where {@code ssh-keygen -Y verify}
 * accepts it from a fresh clone, and the audit fails a promotion whose committed evidence was changed after signing.
 */
@Requires(Prerequisites.Tool.SSH_KEYGEN)
class SignedRestorePointIT extends FixtureLifecycle {

  Path ci;
  Path mallory;
  GitOpsRepository repo;

  @Override
  Map<String, String> files() {
    try {
      Path keys = Files.createDirectories(tmp.resolve("keys"));
      ci = SshKeygen.generate(keys, "ci", "ed25519", null, null);
      mallory = SshKeygen.generate(keys, "mallory", "ed25519", null, null);
      String config = RestorePointRollbackIT.CONFIG.replace("environments:\n", "allowedSigners:\n"
          + "  ci-backup: \"" + SshKeygen.publicKey(ci) + "\"\n"
          + "  mallory: \"" + SshKeygen.publicKey(mallory) + "\"\n"
          + "environments:\n").replace("    restorePoint: whenRestoreRequired\n",
          "    restorePoint: required\n    gate: { restorePointSigners: [ci-backup] }\n");
      String values = RestorePointRollbackIT.VALUES.formatted(GitOpsFixture.digest('0'));
      return Map.of("odoo-gitops.yaml", config, "envs/production/values.yaml", values,
          "envs/staging/values.yaml", values);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @BeforeEach
  void open() {
    repo = fixture.open("signed-restore");
  }

  @AfterEach
  void closeCache() {
    if (repo != null) {
      repo.close();
    }
  }

  private PromotionResult promote(ImageRef image, RestorePoint point, Path key) {
    return promote(image, point, key, null);
  }

  private PromotionResult promote(ImageRef image, RestorePoint point, Path key, DryRunEvidence dryRun) {
    Optional<String> signature = Optional.ofNullable(key)
        .map(k -> RestorePointSignature.sign(point, SshSigner.fromKeyFile(k, null)));
    GateCheck.Inputs inputs = new GateCheck.Inputs(null, List.of(), Optional.ofNullable(dryRun), Optional.empty(),
        null, Set.of(), Optional.of(point), signature);
    return PromotionEngine.builder(repo).landingCheck(new GateCheck(inputs,
        Clock.fixed(RestorePointRollbackIT.NOW, ZoneOffset.UTC))).build()
        .promote(Promotion.builder("production", "odoo", image).initiator("ci").build());
  }

  @Test
  void onlyAPointSignedByANamedSignerLandsAndItsSignatureVerifiesFromTheRepository() throws Exception {
    ImageRef release = GitOpsFixture.image(2);
    RestorePoint point = RestorePointRollbackIT.point(release, RestorePointRollbackIT.NOW.minusSeconds(60));
    int before = fixture.commitCount();

    assertThatThrownBy(() -> promote(release, point, null)).hasMessageContaining("is not signed");
    assertThatThrownBy(() -> promote(release, point, mallory))
        .hasMessageContaining("may not sign restore points as ci-backup");
    assertThat(fixture.commitCount()).isEqualTo(before);

    assertThat(promote(release, point, ci).outcome()).isEqualTo(PromotionResult.Outcome.LANDED);

    Path clone = tmp.resolve("clone");
    String json = ".odoo-gitops/restore-points/production/odoo/" + point.id() + ".json";
    try (Git git = Git.cloneRepository().setURI(fixture.url).setDirectory(clone.toFile()).call()) {
      RevCommit head = git.log().setMaxCount(1).call().iterator().next();
      assertThat(head.getFooterLines("Restore-Point")).containsExactly(point.ref().trailerValue());
    }
    Path allowed = Files.writeString(tmp.resolve("allowed_signers"), "ci-backup " + SshKeygen.publicKey(ci) + "\n");
    SshKeygen.Run verified = SshKeygen.verify(allowed, "ci-backup", "odoo-gitops-restore-point",
        Files.readString(clone.resolve(json + ".sig")), Files.readAllBytes(clone.resolve(json)), tmp);
    assertThat(verified.exit()).as(verified.stderr()).isZero();

    AuditReport audit = Audit.builder(repo, "production").build().run();
    assertThat(audit.unsanctioned()).isEmpty();
    assertThat(audit.sanctioned()).filteredOn(e -> "promote".equals(e.kind())).singleElement()
        .satisfies(e -> assertThat(e.checks()).filteredOn(c -> c.name().equals("restore-point"))
            .singleElement().extracting(Check::status).isEqualTo(Check.Status.PASSED));
  }

  @Test
  void theAuditFailsAPromotionWhoseCommittedEvidenceWasChangedAfterSigning() throws Exception {
    ImageRef release = GitOpsFixture.image(2);
    RestorePoint point = RestorePointRollbackIT.point(release, RestorePointRollbackIT.NOW.minusSeconds(60));
    assertThat(promote(release, point, ci).outcome()).isEqualTo(PromotionResult.Outcome.LANDED);

    // The same promotion commit, rewritten by hand with one fact of the evidence changed.
    rewritePromotion(evidencePath(point), json -> json.replace("\"bytes\" : 73400320", "\"bytes\" : 73400321"));

    AuditReport audit = Audit.builder(repo, "production").build().run();
    assertThat(audit.clean()).isFalse();
    assertThat(audit.unsanctioned()).singleElement().satisfies(e -> assertThat(e.checks())
        .filteredOn(c -> c.name().equals("restore-point")).singleElement()
        .satisfies(c -> {
          assertThat(c.status()).isEqualTo(Check.Status.FAILED);
          assertThat(c.detail()).contains("does not hold");
        }));
  }

  private static String evidencePath(RestorePoint point) {
    return ".odoo-gitops/restore-points/production/odoo/" + point.id() + ".json";
  }

  /** The promotion (the last commit) rewritten with the file at {@code path} edited, and the repository re-read. */
  private void rewritePromotion(String path, UnaryOperator<String> edit) throws Exception {
    assertThat(fixture.rewriteHead(path, edit)).as("the edit changes " + path).isTrue();
    repo.close();
    repo = fixture.open("signed-restore-" + fixture.commitCount() + "-" + System.nanoTime());
  }

  /** A good release, then a RESTORE_REQUIRED one protected by {@code point}, both signed by ci-backup. */
  private void promoteRestoreRequired(ImageRef release, RestorePoint point) {
    ImageRef good = GitOpsFixture.image(1);
    Instant taken = RestorePointRollbackIT.NOW.minusSeconds(60);
    assertThat(promote(good, RestorePointRollbackIT.point(good, taken), ci,
        RestorePointRollbackIT.dryRun(good, false)).outcome()).isEqualTo(PromotionResult.Outcome.LANDED);
    assertThat(promote(release, point, ci, RestorePointRollbackIT.dryRun(release, true)).outcome())
        .isEqualTo(PromotionResult.Outcome.LANDED);
  }

  private static RollbackRequest rollback(boolean imageOnly, String justification, String restoredDatabase) {
    return new RollbackRequest("production", "odoo", null, "invoices fail to post", "oncall", null, null, false,
        imageOnly, justification, restoredDatabase);
  }

  @Test
  void aRollbackPlansFromASignedPointItReverified() {
    ImageRef release = GitOpsFixture.image(2);
    RestorePoint point = RestorePointRollbackIT.point(release, RestorePointRollbackIT.NOW.minusSeconds(60));
    promoteRestoreRequired(release, point);

    assertThatThrownBy(() -> fixture.engine(repo).rollback(rollback(false, null, null)))
        .isInstanceOfSatisfying(RestoreRequired.class, e -> {
          assertThat(e.point()).contains(point);
          assertThat(e.unverified()).isEmpty();
          assertThat(e.getMessage()).contains("restore point " + point.ref() + " recorded with that promotion")
              .doesNotContain("does not verify");
          assertThat(e.planCommand()).contains("restore-point plan --env production --app odoo");
        });
  }

  @Test
  void aRollbackRefusesToPlanFromEvidenceChangedAfterSigning() throws Exception {
    ImageRef release = GitOpsFixture.image(2);
    RestorePoint point = RestorePointRollbackIT.point(release, RestorePointRollbackIT.NOW.minusSeconds(60));
    promoteRestoreRequired(release, point);
    // Another backup directory, the kind of change that would send the restore to the wrong backup.
    rewritePromotion(evidencePath(point), json -> json.replace("/srv/odoo-restore-points/" + point.id(),
        "/srv/elsewhere/" + point.id()));
    int before = fixture.commitCount();

    assertThatThrownBy(() -> fixture.engine(repo).rollback(rollback(false, null, null)))
        .isInstanceOfSatisfying(RestoreRequired.class, e -> {
          assertThat(e.exitCode()).isEqualTo(1);
          assertThat(e.point()).isEmpty();
          assertThat(e.unverified()).hasValueSatisfying(why -> assertThat(why).contains("does not hold"));
          assertThat(e.getMessage()).contains("the restore point committed with promotion "
              + e.release().promotionId()).contains("does not verify: the signature of restore point "
              + point.id() + " does not hold").contains("do not restore from it")
              .contains("with your backup operator").doesNotContain("/srv/elsewhere")
              .doesNotContain("(the plan follows)");
          assertThat(e.planCommand()).contains("no restore plan").contains("does not verify")
              .doesNotContain("restore-point plan");
        });
    GitOpsRollback automatic = new GitOpsRollback(fixture.engine(repo), "verifier");
    assertThatThrownBy(() -> automatic.rollback("production", "odoo", "verification-failed"))
        .isInstanceOfSatisfying(ReleaseException.class, e -> assertThat(e.getMessage())
            .startsWith("no automatic rollback: ").contains("does not verify").contains("do not restore from it")
            .doesNotContain("restore-point plan --env").doesNotContain("/srv/elsewhere"));
    assertThat(fixture.commitCount()).as("nothing was committed").isEqualTo(before);

    // The restored database is switched all the same, but the commit does not vouch for the unverified point.
    PromotionResult restored = fixture.engine(repo).rollback(rollback(false, null, "odoo-db-restored-rw.shop.svc"));
    assertThat(restored.outcome()).isEqualTo(PromotionResult.Outcome.LANDED);
    try (Git git = Git.open(tmp.resolve("served/gitops.git").toFile())) {
      RevCommit head = git.log().setMaxCount(1).call().iterator().next();
      assertThat(head.getFooterLines("Restored-Database")).containsExactly("odoo-db-restored-rw.shop.svc");
      assertThat(head.getFooterLines("Restored-From")).isEmpty();
    }
  }

  @Test
  void anEditOfTheEvidenceInALaterCommitDoesNotChangeThePlan() throws Exception {
    ImageRef release = GitOpsFixture.image(2);
    RestorePoint point = RestorePointRollbackIT.point(release, RestorePointRollbackIT.NOW.minusSeconds(60));
    promoteRestoreRequired(release, point);
    assertThat(fixture.pushEdit(evidencePath(point), json -> json.replace("/srv/odoo-restore-points/" + point.id(),
        "/srv/elsewhere/" + point.id()), false)).isTrue();
    repo.close();
    repo = fixture.open("signed-restore-later-edit");

    // The plan is made from the evidence as the promotion committed it (and re-verified), not from the tip.
    assertThatThrownBy(() -> fixture.engine(repo).rollback(rollback(false, null, null)))
        .isInstanceOfSatisfying(RestoreRequired.class, e -> {
          assertThat(e.point()).contains(point);
          assertThat(e.unverified()).isEmpty();
          assertThat(e.getMessage()).doesNotContain("/srv/elsewhere");
        });
  }

  @Test
  void aRollbackRefusesToPlanFromAPointSignedByAKeyTheSignersDoNotHold() throws Exception {
    ImageRef release = GitOpsFixture.image(2);
    RestorePoint point = RestorePointRollbackIT.point(release, RestorePointRollbackIT.NOW.minusSeconds(60));
    promoteRestoreRequired(release, point);
    String byMallory = RestorePointSignature.sign(point, SshSigner.fromKeyFile(mallory, null));
    rewritePromotion(evidencePath(point) + ".sig", sig -> byMallory);

    assertThatThrownBy(() -> fixture.engine(repo).rollback(rollback(false, null, null)))
        .isInstanceOfSatisfying(RestoreRequired.class, e -> {
          assertThat(e.point()).isEmpty();
          assertThat(e.getMessage()).contains("does not verify: the restore point " + point.id()
              + " is signed with key").contains("which may not sign restore points as ci-backup")
              .contains("do not restore from it");
        });
    // Fixing forward stays possible, on the record.
    PromotionResult imageOnly = fixture.engine(repo).rollback(rollback(true, "fix forward tonight", null));
    assertThat(imageOnly.outcome()).isEqualTo(PromotionResult.Outcome.LANDED);
  }
}
