package io.odoogitops.gitops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.odoogitops.ImageDigest;
import io.odoogitops.trust.CommitSigner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Under a trust root only a release manager's signed commit lifts a hold: a release record pushed unsigned, with the
 * right trailers and file, is a notice and lifts nothing.
 */
class HoldsTrustIT extends SignedFixtureLifecycle {

  @Test
  void anUnsignedReleaseRecordDoesNotLiftTheHoldButASignedReleaseDoes() throws Exception {
    ImageDigest held = GitOpsFixture.image(2).digest();
    String rollbackCommit;
    try (GitOpsRepository trusted = trusted("promoter")) {
      PromotionEngine engine = engine(trusted);
      engine.promote(promotion(1));
      engine.promote(promotion(2));
      rollbackCommit = engine.rollback(new RollbackRequest("staging", "odoo", null, "bad", "alice", null, null, true))
          .commitId();
    }

    // a direct push that looks exactly like a release, but unsigned
    tools.git(clone, "pull", "-q", "--rebase").requireSuccess(List.of("git pull"));
    Path record = clone.resolve(Holds.recordPath("staging", "odoo", rollbackCommit));
    Files.createDirectories(record.getParent());
    Files.writeString(record, "released: yes\n");
    String forged = commitAndPush(null, "release hold on odoo in staging\n\nnobody signed this\n\n"
        + "Hold-Release-Id: forged-1\nEnvironment: staging\nApplication: odoo\nHeld-Digest: " + held + "\n"
        + "Hold-Of: " + rollbackCommit + "\n");

    try (GitOpsRepository trusted = trusted("reader")) {
      PromotionEngine engine = engine(trusted);
      Holds.State state = engine.queries().atHead(s -> Holds.read(s, "staging", "odoo"));
      assertThat(state.active()).extracting(Hold::digest).containsExactly(held);
      assertThat(state.notices()).anySatisfy(n -> assertThat(n).contains(forged.substring(0, 12),
          "claims to release the hold of rollback " + rollbackCommit.substring(0, 12), "the hold stays"));
      assertThatThrownBy(() -> engine.promote(promotion(2))).hasMessageContaining("hold: " + held + " is held");

      PromotionResult released = engine.releaseHold(new HoldReleaseRequest("staging", "odoo", held, "fixed",
          "bob", true, null, "release-1"));
      assertThat(released.outcome()).isEqualTo(PromotionResult.Outcome.LANDED);
      assertThat(engine.queries().atHead(s -> Holds.read(s, "staging", "odoo")).active()).isEmpty();
      assertThat(engine.promote(promotion(2)).outcome()).isEqualTo(PromotionResult.Outcome.LANDED);
    }
  }

  @Test
  void aReleaseSignedByAnOutsiderIsRefusedBeforeThePush() throws Exception {
    try (GitOpsRepository trusted = trusted("promoter")) {
      PromotionEngine engine = engine(trusted);
      engine.promote(promotion(1));
      engine.promote(promotion(2));
      engine.rollback(new RollbackRequest("staging", "odoo", null, "bad", "alice", null, null, true));
      PromotionEngine outsider = PromotionEngine.builder(trusted)
          .signer(CommitSigner.fromKeyFile(keys.mallory(), CommitSigner.Format.SSH, null)).build();

      assertThatThrownBy(() -> outsider.releaseHold(new HoldReleaseRequest("staging", "odoo",
          GitOpsFixture.image(2).digest(), "fixed", "mallory", true, null, null)))
          .hasMessageContaining("not a release-manager key");
      assertThat(engine.queries().atHead(s -> Holds.read(s, "staging", "odoo")).active()).hasSize(1);
    }
  }

  private static Promotion promotion(int image) {
    return Promotion.builder("staging", "odoo", GitOpsFixture.image(image)).initiatorClaim("ci").build();
  }
}
