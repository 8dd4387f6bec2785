package io.odoogitops.gitops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.odoogitops.ImageDigest;
import io.odoogitops.ImageRef;
import io.odoogitops.ReleaseException;
import io.odoogitops.policy.ConfigGroupDirectory;
import io.odoogitops.policy.SignedVote;
import io.odoogitops.policy.VoteKeys;
import io.odoogitops.policy.VoteStatement;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Signed votes recorded in the GitOps repository and counted by the gate at the commit it lands on. */
class SignedVotesIT {

  static final Instant NOW = Instant.parse("2026-11-18T09:00:00Z");

  @TempDir Path tmp;
  GitOpsFixture fixture;
  GitOpsRepository repo;
  VoteKeys keys;

  @BeforeEach
  void start() throws Exception {
    keys = VoteKeys.generate(tmp, "carol", "dave", "erin", "mallory");
    Map<String, String> files = GitOpsFixture.defaultFiles();
    files.put("odoo-gitops.yaml", GitOpsFixture.CONFIG + """
          gate: { approvals: 2, approvers: [group:release-managers] }
      groups:
        release-managers: [carol, dave, erin]
      allowedSigners: security/allowed_signers
      """);
    files.put("security/allowed_signers", keys.allowedSigners("carol", "dave", "erin", "mallory"));
    fixture = GitOpsFixture.start(tmp, files);
    repo = fixture.open("votes");
  }

  @AfterEach
  void stop() {
    repo.close();
    fixture.close();
  }

  @Test
  void votesRecordedInTheRepositoryAreCountedAtThePush() throws Exception {
    ImageRef image = GitOpsFixture.image(5);
    engine().promote(Promotion.builder("staging", "odoo", image).initiatorClaim("ci").build());
    Promotion toProduction = Promotion.builder("production", "odoo", image).initiatorClaim("carol").build();
    assertThatThrownBy(() -> engine().promote(toProduction)).hasMessageContaining("0 of 2");

    VoteBox.Result dave = box().record(vote("dave", image.digest()));
    VoteBox.Result erin = box().record(vote("erin", image.digest()));
    VoteBox.Result again = box().record(vote("erin", image.digest()));

    assertThat(dave.outcome()).isEqualTo(VoteBox.Outcome.RECORDED);
    assertThat(dave.path()).startsWith("votes/production/odoo/" + image.digest().value().substring(7) + "/dave-");
    assertThat(erin.outcome()).isEqualTo(VoteBox.Outcome.RECORDED);
    assertThat(again.outcome()).isEqualTo(VoteBox.Outcome.ALREADY_RECORDED);

    PromotionResult landed = engine().promote(toProduction);

    assertThat(landed.outcome()).isEqualTo(PromotionResult.Outcome.LANDED);
    RevCommit head = head();
    assertThat(head.getFooterLines("Approved-By")).containsExactlyInAnyOrder("dave", "erin");
    assertThat(head.getFooterLines("Approval-Key")).hasSize(2).allMatch(v -> v.contains("SHA256:"));
    assertThat(head.getFooterLines("Initiated-By-Claim")).containsExactly("carol");
    assertThat(head.getFooterLines("Initiated-By")).isEmpty();
    assertThat(engine().queries().history("production", "odoo", 1).get(0).initiator()).isEqualTo("carol (claimed)");
  }

  @Test
  void aForgedOrIneligibleVoteNeverLands() throws Exception {
    ImageDigest digest = GitOpsFixture.image(6).digest();
    ObjectId before = remoteHead();
    SignedVote impostor = SignedVote.parse(keys.voteFile("mallory", VoteKeys.approve("dave", "production", digest,
        NOW.minusSeconds(60))), "impostor.vote");
    SignedVote mallory = SignedVote.parse(keys.voteFile("mallory", VoteKeys.approve("mallory", "production", digest,
        NOW.minusSeconds(60))), "mallory.vote");

    assertThatThrownBy(() -> box().record(impostor)).isInstanceOf(ReleaseException.class)
        .satisfies(e -> assertThat(((ReleaseException) e).kind()).isEqualTo(ReleaseException.Kind.REFUSED))
        .hasMessageContaining("key of another voter").hasMessageContaining("nothing was pushed");
    assertThatThrownBy(() -> box().record(mallory)).hasMessageContaining("not among the approvers");
    assertThat(remoteHead()).isEqualTo(before);
  }

  private SignedVote vote(String voter, ImageDigest digest) throws Exception {
    VoteStatement statement = VoteKeys.approve(voter, "production", digest, NOW.minus(Duration.ofMinutes(5)));
    return SignedVote.parse(keys.voteFile(voter, statement), voter + ".vote");
  }

  private VoteBox box() {
    return new VoteBox(repo, new PersonIdent("odoo-gitops", "odoo-gitops@localhost"), ConfigGroupDirectory::of,
        Clock.fixed(NOW, ZoneOffset.UTC), message -> { }, 5);
  }

  private PromotionEngine engine() {
    return PromotionEngine.builder(repo).clock(Clock.fixed(NOW, ZoneOffset.UTC))
        .landingCheck(new GateCheck(GateCheck.Inputs.none(), Clock.fixed(NOW, ZoneOffset.UTC))).build();
  }

  private ObjectId remoteHead() throws Exception {
    try (Git git = Git.open(tmp.resolve("served/gitops.git").toFile())) {
      return git.getRepository().resolve("refs/heads/main");
    }
  }

  private RevCommit head() throws Exception {
    try (Git git = Git.open(tmp.resolve("served/gitops.git").toFile())) {
      return git.log().setMaxCount(1).call().iterator().next();
    }
  }
}
