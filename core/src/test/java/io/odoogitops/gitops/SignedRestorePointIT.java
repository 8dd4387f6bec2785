package io.odoogitops.gitops;

import io.odoogitops.ImageRef;
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
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.ResetCommand;
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
    Optional<String> signature = Optional.ofNullable(key)
        .map(k -> RestorePointSignature.sign(point, SshSigner.fromKeyFile(k, null)));
    GateCheck.Inputs inputs = new GateCheck.Inputs(null, List.of(), Optional.empty(), Optional.empty(), null,
        Set.of(), Optional.of(point), signature);
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
    Path clone = tmp.resolve("forged");
    String json = ".odoo-gitops/restore-points/production/odoo/" + point.id() + ".json";
    try (Git git = Git.cloneRepository().setURI(fixture.url).setDirectory(clone.toFile()).call()) {
      RevCommit promotion = git.log().setMaxCount(1).call().iterator().next();
      Path file = clone.resolve(json);
      String original = Files.readString(file);
      String forged = original.replace("\"bytes\" : 73400320", "\"bytes\" : 73400321");
      assertThat(forged).isNotEqualTo(original);
      git.reset().setMode(ResetCommand.ResetType.SOFT).setRef("HEAD~1").call();
      Files.writeString(file, forged);
      git.add().addFilepattern(".").call();
      git.commit().setMessage(promotion.getFullMessage()).setAuthor(promotion.getAuthorIdent())
          .setCommitter(promotion.getCommitterIdent()).setSign(false).call();
      git.push().setForce(true).call();
    }
    repo.close();
    repo = fixture.open("signed-restore-after");

    AuditReport audit = Audit.builder(repo, "production").build().run();
    assertThat(audit.clean()).isFalse();
    assertThat(audit.unsanctioned()).singleElement().satisfies(e -> assertThat(e.checks())
        .filteredOn(c -> c.name().equals("restore-point")).singleElement()
        .satisfies(c -> {
          assertThat(c.status()).isEqualTo(Check.Status.FAILED);
          assertThat(c.detail()).contains("does not hold");
        }));
  }
}
