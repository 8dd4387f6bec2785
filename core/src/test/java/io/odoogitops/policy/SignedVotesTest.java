package io.odoogitops.policy;

import static io.odoogitops.policy.TestConfigs.DIGEST;
import static io.odoogitops.policy.TestConfigs.OTHER_DIGEST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.odoogitops.ReleaseException;
import io.odoogitops.signing.SshKeygen;
import io.odoogitops.signing.SshSigner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gate counts only votes whose SSH signature verifies against the allowed signers and whose key belongs to the
 * voter; every other vote is listed as not counted, with its reason. Votes are signed by the real ssh-keygen.
 */
class SignedVotesTest {

  static final Instant NOW = Instant.parse("2026-11-18T10:00:00Z");
  static final Instant AN_HOUR_AGO = NOW.minus(Duration.ofHours(1));
  static final Candidate CANDIDATE = Candidate.promotion("production", "odoo", DIGEST);

  @TempDir static Path dir;
  static VoteKeys keys;
  static ReleasePolicy policy;

  static final String ENVIRONMENTS = """
      groups:
        release-managers: [carol, dave, erin]
      environments:
        staging: { path: envs/staging, layout: kustomize }
        production:
          path: envs/production
          layout: kustomize
          gate: { approvals: 2, approvers: [group:release-managers], approvalTtl: P2D }
          override: { approvals: 1, approvers: [group:release-managers] }
      """;

  @BeforeAll
  static void keys() throws Exception {
    keys = VoteKeys.generate(dir, "carol", "dave", "erin", "mallory", "stranger");
    policy = ReleasePolicy.of(TestConfigs.load(keys.inlineSigners("carol", "dave", "erin", "mallory")
        + ENVIRONMENTS));
  }

  private static GateRequest.Builder request(Map<String, byte[]> files) {
    return GateRequest.builder(CANDIDATE).initiator("alice").ballots(Ballots.read(files)).at(NOW);
  }

  private static Map<String, byte[]> files(Object... sourceAndBytes) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    for (int i = 0; i < sourceAndBytes.length; i += 2) {
      files.put((String) sourceAndBytes[i], (byte[]) sourceAndBytes[i + 1]);
    }
    return files;
  }

  private static RuleResult rule(Decision decision, String name) {
    return decision.rules().stream().filter(r -> r.rule().equals(name)).findFirst().orElseThrow();
  }

  private static byte[] vote(String signer, String voter) throws Exception {
    return keys.voteFile(signer, VoteKeys.approve(voter, "production", DIGEST, AN_HOUR_AGO));
  }

  @Test
  void twoVotesSignedByTheirOwnersKeysPassAndTheTrailersNameTheKeys() throws Exception {
    Decision decision = policy.evaluate(request(files("carol.vote", vote("carol", "carol"), "dave.vote",
        vote("dave", "dave"))).build());

    assertThat(rule(decision, "approvals").outcome()).isEqualTo(Outcome.PASSED);
    assertThat(decision.notices()).isEmpty();
    assertThat(decision.trailers()).extracting(Trailer::toString).contains("Approved-By: carol",
        "Approved-By: dave").anySatisfy(t -> assertThat(t).startsWith("Approval-Key: carol SHA256:"));
  }

  @Test
  void everyForgeryIsListedAsNotCountedWithItsReason() throws Exception {
    byte[] good = vote("carol", "carol");
    String text = new String(good, StandardCharsets.UTF_8);
    byte[] edited = text.replace(DIGEST.value().substring(7, 20), OTHER_DIGEST.value().substring(7, 20))
        .getBytes(StandardCharsets.UTF_8);
    byte[] unsigned = VoteKeys.approve("erin", "production", DIGEST, AN_HOUR_AGO).canonical();
    Map<String, byte[]> forged = files(
        "edited.vote", edited,                                   // signed, then the digest changed
        "unsigned.vote", unsigned,                               // no signature at all
        "impostor.vote", vote("mallory", "dave"),                // mallory's key, claiming to be dave
        "stranger.vote", vote("stranger", "erin"),               // a key nobody listed
        "git.vote", keys.voteFile("erin", VoteKeys.approve("erin", "production", DIGEST, AN_HOUR_AGO), "git"),
        "mallory.vote", vote("mallory", "mallory"),              // a listed key, but not a release manager
        "garbage.vote", "hello".getBytes(StandardCharsets.UTF_8));

    Decision decision = policy.evaluate(request(forged)
        .approval(Approval.approve("erin", CANDIDATE, AN_HOUR_AGO)).build());

    RuleResult approvals = rule(decision, "approvals");
    assertThat(approvals.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(approvals.reason()).startsWith("0 of 2");
    assertThat(approvals.details())
        .anySatisfy(d -> assertThat(d).contains("edited.vote", "bad signature"))
        .anySatisfy(d -> assertThat(d).contains("unsigned.vote", "unsigned"))
        .anySatisfy(d -> assertThat(d).contains("impostor.vote", "key of another voter", "belongs to mallory"))
        .anySatisfy(d -> assertThat(d).contains("stranger.vote", "unknown key"))
        .anySatisfy(d -> assertThat(d).contains("git.vote", "namespace mismatch", "'git'"))
        .anySatisfy(d -> assertThat(d).contains("mallory", "not among the approvers"))
        .anySatisfy(d -> assertThat(d).contains("garbage.vote", "not a vote file"))
        .anySatisfy(d -> assertThat(d).contains("erin: unsigned vote; allowedSigners is configured"));
    assertThat(decision.trailers()).noneMatch(t -> t.key().equals("Approved-By"));
  }

  @Test
  void votesForAnotherCandidateScopeOrPromotionOrTooOldDoNotCount() throws Exception {
    Map<String, byte[]> votes = files(
        "other-digest.vote", keys.voteFile("carol", VoteKeys.approve("carol", "production", OTHER_DIGEST,
            AN_HOUR_AGO)),
        "other-env.vote", keys.voteFile("dave", VoteKeys.approve("dave", "staging", DIGEST, AN_HOUR_AGO)),
        "expired.vote", keys.voteFile("erin", VoteKeys.approve("erin", "production", DIGEST,
            NOW.minus(Duration.ofDays(3)))),
        "override.vote", keys.voteFile("dave", new VoteStatement("production", "odoo", DIGEST, Vote.APPROVE,
            ApprovalScope.FREEZE_OVERRIDE, null, "dave", AN_HOUR_AGO)),
        "other-promotion.vote", keys.voteFile("carol", new VoteStatement("production", "odoo", DIGEST,
            Vote.APPROVE, ApprovalScope.PROMOTION, "release-41", "carol", AN_HOUR_AGO)));

    Decision decision = policy.evaluate(request(votes).promotionId("release-42").build());

    RuleResult approvals = rule(decision, "approvals");
    assertThat(approvals.reason()).startsWith("0 of 2");
    assertThat(approvals.details())
        .anySatisfy(d -> assertThat(d).contains("carol: voted for production/odoo@sha256:bbbbbbbbbbbb"))
        .anySatisfy(d -> assertThat(d).contains("dave: voted for staging/odoo"))
        .anySatisfy(d -> assertThat(d).contains("erin", "expired"))
        .anySatisfy(d -> assertThat(d).contains("answers promotion release-41, not release-42"));
    // the override vote belongs to the freeze rule, not to the approvals
    assertThat(approvals.details()).noneMatch(d -> d.contains("override.vote"));
  }

  @Test
  void aClaimedInitiatorDoesNotUnbarTheVerifiedAuthor() throws Exception {
    Map<String, byte[]> votes = files("carol.vote", vote("carol", "carol"), "dave.vote", vote("dave", "dave"));

    // carol wrote the code (the module repository says so); the CI job claims ci-bot started the promotion
    Decision decision = policy.evaluate(request(votes).initiator("ci-bot")
        .authorIdentities(List.of("Carol Example", "carol@example.com", "carol")).build());

    assertThat(rule(decision, "approvals").reason()).startsWith("1 of 2");
    assertThat(rule(decision, "approvals").details()).anySatisfy(d -> assertThat(d).contains("carol", "four-eyes"));
  }

  @Test
  void withoutAllowedSignersTheGateSaysItIsAdvisoryAndCountsClaimsAsBefore() throws Exception {
    ReleasePolicy advisory = ReleasePolicy.of(TestConfigs.load(ENVIRONMENTS));

    Decision decision = advisory.evaluate(request(files("dave.vote", vote("mallory", "dave")))
        .approval(Approval.approve("carol", CANDIDATE, AN_HOUR_AGO)).build());

    assertThat(rule(decision, "approvals").outcome()).isEqualTo(Outcome.PASSED);
    assertThat(decision.notices()).singleElement().asString().contains("votes are unverified", "advisory");
    assertThat(decision.trailers()).noneMatch(t -> t.key().equals("Approval-Key"));
  }

  @Test
  void anAllowedSignersFileInTheRepositoryLimitsKeysInTime() throws Exception {
    String file = keys.allowedSigners("carol", "dave") + "erin valid-before=\"20261101Z\" " + keys.publicKey("erin")
        + "\n";
    ReleasePolicy fromFile = ReleasePolicy.of(TestConfigs.load("allowedSigners: security/allowed_signers\n"
        + ENVIRONMENTS), ConfigGroupDirectory.of(TestConfigs.load(ENVIRONMENTS)),
        path -> path.equals("security/allowed_signers") ? Optional.of(file.getBytes(StandardCharsets.UTF_8))
            : Optional.empty());

    Decision decision = fromFile.evaluate(request(files("carol.vote", vote("carol", "carol"), "erin.vote",
        vote("erin", "erin"))).build());

    assertThat(rule(decision, "approvals").reason()).startsWith("1 of 2");
    assertThat(rule(decision, "approvals").details())
        .anySatisfy(d -> assertThat(d).contains("erin", "key not valid", "valid only until 2026-11-01"));
  }

  @Test
  void aMissingOrMalformedSignersFileIsBadInputNotASilentFallback() {
    ReleasePolicy missing = ReleasePolicy.of(TestConfigs.load("allowedSigners: security/allowed_signers\n"
        + ENVIRONMENTS));
    ReleasePolicy malformed = ReleasePolicy.of(TestConfigs.load("allowedSigners: security/allowed_signers\n"
        + ENVIRONMENTS), ConfigGroupDirectory.of(TestConfigs.load(ENVIRONMENTS)),
        path -> Optional.of("# ok\ncarol cert-authority ssh-ed25519 AAAA\n".getBytes(StandardCharsets.UTF_8)));

    assertThatThrownBy(() -> missing.evaluate(request(Map.of()).build())).isInstanceOf(ReleaseException.class)
        .hasMessageContaining("security/allowed_signers, which does not exist");
    assertThatThrownBy(() -> malformed.evaluate(request(Map.of()).build()))
        .hasMessageContaining("security/allowed_signers:2: cert-authority is not supported");
  }

  @Test
  void aVoteTheProductSignsVerifiesWithSshKeygenAsDocumented() throws Exception {
    VoteStatement statement = VoteKeys.approve("dave", "production", DIGEST, AN_HOUR_AGO);
    SignedVote vote = new SignedVote(statement, SshSigner.fromKeyFile(keys.key("dave"), null)
        .sign(statement.canonical(), VoteStatement.NAMESPACE), "dave.vote");
    Path file = Files.write(dir.resolve("dave.vote"), vote.toBytes());
    Path allowed = Files.writeString(dir.resolve("allowed_signers"), keys.allowedSigners("carol", "dave"));

    // the two sed commands of docs/policy.md split the file into payload and signature
    SshKeygen.Run payload = SshKeygen.run(List.of("sed", "/^-----BEGIN SSH SIGNATURE-----$/,$d", file.toString()),
        null);
    SshKeygen.Run signature = SshKeygen.run(List.of("sed", "-n", "/^-----BEGIN SSH SIGNATURE-----$/,$p",
        file.toString()), null);
    SshKeygen.Run verified = SshKeygen.verify(allowed, "dave", "odoo-gitops", signature.stdout(),
        payload.stdout().getBytes(StandardCharsets.UTF_8), dir);

    assertThat(verified.exit()).as(verified.stderr()).isZero();
    assertThat(SignedVote.parse(Files.readAllBytes(file), "dave.vote").statement()).isEqualTo(statement);
    assertThat(policy.refusalOf(vote, NOW)).isEmpty();
  }

  @Test
  void nonCanonicalPayloadsAreNotVotes() throws Exception {
    String canonical = new String(VoteKeys.approve("carol", "production", DIGEST, AN_HOUR_AGO).canonical(),
        StandardCharsets.UTF_8);

    assertThatThrownBy(() -> VoteStatement.parse(canonical.replace("vote: approve", "vote: APPROVE")
        .getBytes(StandardCharsets.UTF_8))).hasMessageContaining("canonical");
    assertThatThrownBy(() -> VoteStatement.parse(canonical.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("line");
    assertThatThrownBy(() -> VoteStatement.parse((canonical + "extra: 1\n").getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("exactly 9 lines");
    assertThatThrownBy(() -> VoteStatement.parse(canonical.replace("voter: carol", "voter: ../../etc")
        .getBytes(StandardCharsets.UTF_8))).hasMessageContaining("voter");
  }

  @Test
  void refusalOfSaysWhyAVoteCouldNeverCount() throws Exception {
    SignedVote mallory = SignedVote.parse(vote("mallory", "mallory"), "m.vote");
    SignedVote impostor = SignedVote.parse(vote("mallory", "carol"), "i.vote");
    SignedVote staging = SignedVote.parse(keys.voteFile("carol", VoteKeys.approve("carol", "staging", DIGEST,
        AN_HOUR_AGO)), "s.vote");

    assertThat(policy.refusalOf(mallory, NOW)).get().asString().contains("not among the approvers");
    assertThat(policy.refusalOf(impostor, NOW)).get().asString().contains("key of another voter");
    assertThat(policy.refusalOf(staging, NOW)).get().asString().contains("staging has no gate");
  }
}
