package io.odoogitops.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import io.odoogitops.ImageDigest;
import io.odoogitops.cluster.LaterRevision;
import io.odoogitops.cluster.LaterRevisions;
import io.odoogitops.cluster.VerificationRequest;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@link LaterRevisions} under a trust root, on a real repository served by git daemon with real ssh-keygen
 * signatures: only a signed promotion or rollback may say that a later commit superseded the verified promotion, since
 * anyone who can push can name any digest in the manifests.
 */
class LaterRevisionsTrustIT extends SignedFixtureLifecycle {

  @Test
  void anUnsignedLaterCommitNamingAnotherDigestKeepsTheVerificationWaiting() throws Exception {
    ImageDigest promoted = GitOpsFixture.image(2).digest();
    String promotion;
    try (GitOpsRepository trusted = trusted("promoter")) {
      PromotionEngine engine = engine(trusted);
      engine.promote(Promotion.builder("staging", "odoo", GitOpsFixture.image(1)).initiatorClaim("ci").build());
      promotion = engine.promote(Promotion.builder("staging", "odoo", GitOpsFixture.image(2)).initiatorClaim("ci")
          .build()).commitId();
    }
    String forged = pushUnsigned(GitOpsFixture.digest(7), "hotfix, nobody signed this");

    try (GitOpsRepository trusted = trusted("verifier")) {
      Optional<LaterRevision> later = LaterRevisions.of(engine(trusted).queries()).read(
          new VerificationRequest("staging", "odoo", promotion, promoted, true), forged);
      // Not SUPERSEDED (which skips the rollback), not judged there either: the verification keeps waiting and
      // fails as it would have, and its rollback restores the sanctioned state.
      assertThat(later).as("an unsigned commit decides nothing under a trust root").isEmpty();
    }
  }

  @Test
  void anUnsignedChangeAfterASignedPromotionIsNotNamedAsWhatReplacedOurs() throws Exception {
    ImageDigest promoted = GitOpsFixture.image(2).digest();
    String promotion;
    String replacing;
    try (GitOpsRepository trusted = trusted("promoter")) {
      PromotionEngine engine = engine(trusted);
      promotion = engine.promote(Promotion.builder("staging", "odoo", GitOpsFixture.image(2)).initiatorClaim("ci")
          .build()).commitId();
      replacing = engine.promote(Promotion.builder("staging", "odoo", GitOpsFixture.image(3)).initiatorClaim("ci")
          .build()).commitId();
    }
    String forged = pushUnsigned(GitOpsFixture.digest(7), "hotfix on top of the signed promotion");

    try (GitOpsRepository trusted = trusted("verifier")) {
      Optional<LaterRevision> later = LaterRevisions.of(engine(trusted).queries()).read(
          new VerificationRequest("staging", "odoo", promotion, promoted, true), forged);
      assertThat(later).as("the signed promotion after ours supersedes it").hasValueSatisfying(l -> {
        assertThat(l.commit()).isEqualTo(forged);
        assertThat(l.deploys(promoted)).isFalse();
        assertThat(l.digest()).isEqualTo(GitOpsFixture.image(3).digest());
        assertThat(l.changedBy()).isEqualTo(replacing);
      });
    }
  }

  @Test
  void anUnrelatedLaterCommitStillDeployingOursIsWhereItIsJudged() throws Exception {
    ImageDigest promoted = GitOpsFixture.image(2).digest();
    String promotion;
    String later;
    try (GitOpsRepository trusted = trusted("promoter")) {
      PromotionEngine engine = engine(trusted);
      promotion = engine.promote(Promotion.builder("staging", "odoo", GitOpsFixture.image(2)).initiatorClaim("ci")
          .build()).commitId();
      later = engine.promote(Promotion.builder("production", "odoo", GitOpsFixture.image(2)).initiatorClaim("ci")
          .build()).commitId();
    }
    // what 'odoo-gitops verify --digest' and odooVerify with digest do on a new agent: no query before the verifier
    try (GitOpsRepository trusted = trusted("fresh-agent")) {
      Optional<LaterRevision> answer = LaterRevisions.of(engine(trusted).queries()).read(
          new VerificationRequest("staging", "odoo", promotion, promoted, true), later);
      assertThat(answer).hasValueSatisfying(l -> assertThat(l.deploys(promoted)).isTrue());
    }
  }

  /** A direct push, unsigned, naming {@code digest} for odoo in staging. */
  private String pushUnsigned(String digest, String message) throws Exception {
    tools.git(clone, "pull", "-q", "--rebase").requireSuccess(List.of("git pull"));
    Files.writeString(clone.resolve("envs/staging/kustomization.yaml"), GitOpsFixture.KUSTOMIZATION.formatted(
        digest, GitOpsFixture.digest('a')));
    return commitAndPush(null, message);
  }
}
