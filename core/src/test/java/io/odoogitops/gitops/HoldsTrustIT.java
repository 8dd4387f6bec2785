package io.odoogitops.gitops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.odoogitops.ImageDigest;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Under a trust root only a release manager's signed commit lifts a hold: a release record pushed unsigned, with the
 * right trailers and file, is a notice and lifts nothing.
 */
@Requires({Prerequisites.Tool.GIT, Prerequisites.Tool.SSH_KEYGEN, Prerequisites.Tool.GPG})
class HoldsTrustIT {

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
    // the policy a policy admin signed: the configuration as seeded, with a comment to make it a change
    Files.writeString(clone.resolve("odoo-gitops.yaml"), GitOpsFixture.CONFIG + "# signed by the policy admin\n");
    commitAndPush(keys.admin(), "policy: signed");
  }

  @AfterEach
  void tearDown() throws Exception {
    fixture.close();
    tools.close();
  }

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

  private GitOpsRepository trusted(String cache) throws Exception {
    return fixture.open(cache).trustRoot(TrustRoot.read(keys.trustRoot()));
  }

  private PromotionEngine engine(GitOpsRepository repository) {
    return PromotionEngine.builder(repository)
        .signer(CommitSigner.fromKeyFile(keys.release(), CommitSigner.Format.SSH, null))
        .landingCheck(new GateCheck(GateCheck.Inputs.none(), Clock.systemUTC())).build();
  }

  private static Promotion promotion(int image) {
    return Promotion.builder("staging", "odoo", GitOpsFixture.image(image)).initiatorClaim("ci").build();
  }

  /** Commits everything in the clone with the real git, signed with {@code key} unless null, and pushes. */
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
