package io.odoogitops.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import io.odoogitops.ImageDigest;
import io.odoogitops.cluster.LaterRevision;
import io.odoogitops.cluster.LaterRevisions;
import io.odoogitops.cluster.VerificationRequest;
import io.odoogitops.testing.Prerequisites;
import io.odoogitops.testing.Requires;
import io.odoogitops.trust.CommitSigner;
import io.odoogitops.trust.Tools;
import io.odoogitops.trust.TrustKeys;
import io.odoogitops.trust.TrustRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link LaterRevisions} under a trust root, on a real repository served by git daemon with real ssh-keygen
 * signatures: only a signed promotion or rollback may say that a later commit superseded the verified promotion, since
 * anyone who can push can name any digest in the manifests.
 */
@Requires({Prerequisites.Tool.GIT, Prerequisites.Tool.SSH_KEYGEN, Prerequisites.Tool.GPG})
class LaterRevisionsTrustIT {

  @TempDir Path tmp;
  Tools tools;
  TrustKeys keys;
  GitOpsFixture fixture;
  Path clone;

  @BeforeEach
  void setUp() throws Exception {
    tools = new Tools(tmp);
    keys = TrustKeys.generate(tmp, tools);
    fixture = GitOpsFixture.start(tmp);
    clone = tmp.resolve("clone");
    tools.git(tmp, "clone", "-q", fixture.url, clone.toString()).requireSuccess(List.of("git clone"));
    Files.writeString(clone.resolve("odoo-gitops.yaml"), GitOpsFixture.CONFIG + "# signed by the policy admin\n");
    commitAndPush(keys.admin(), "policy: signed");
  }

  @AfterEach
  void tearDown() throws Exception {
    fixture.close();
    tools.close();
  }

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

  private GitOpsRepository trusted(String cache) throws Exception {
    return fixture.open(cache).trustRoot(TrustRoot.read(keys.trustRoot()));
  }

  private PromotionEngine engine(GitOpsRepository repository) {
    return PromotionEngine.builder(repository)
        .signer(CommitSigner.fromKeyFile(keys.release(), CommitSigner.Format.SSH, null))
        .landingCheck(new GateCheck(GateCheck.Inputs.none(), Clock.systemUTC())).build();
  }

  /** A direct push, unsigned, naming {@code digest} for odoo in staging. */
  private String pushUnsigned(String digest, String message) throws Exception {
    tools.git(clone, "pull", "-q", "--rebase").requireSuccess(List.of("git pull"));
    Files.writeString(clone.resolve("envs/staging/kustomization.yaml"), GitOpsFixture.KUSTOMIZATION.formatted(
        digest, GitOpsFixture.digest('a')));
    return commitAndPush(null, message);
  }

  private String commitAndPush(Path key, String message) throws Exception {
    tools.git(clone, "add", "-A").requireSuccess(List.of("git add"));
    if (key == null) {
      tools.git(clone, "commit", "-q", "-m", message).requireSuccess(List.of("git commit"));
    } else {
      tools.git(clone, "-c", "gpg.format=ssh", "-c", "user.signingkey=" + key, "commit", "-q", "-S", "-m", message)
          .requireSuccess(List.of("git commit -S"));
    }
    tools.git(clone, "push", "-q", "origin", "HEAD:main").requireSuccess(List.of("git push"));
    return tools.git(clone, "rev-parse", "HEAD").stdout().strip();
  }
}
