package io.odoogitops.jenkins.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.odoogitops.ImageDigest;
import io.odoogitops.ImageRef;
import io.odoogitops.ReleaseException;
import io.odoogitops.gitops.GitCredentials;
import io.odoogitops.gitops.GitOpsRemote;
import io.odoogitops.gitops.GitOpsRepository;
import io.odoogitops.gitops.Promotion;
import io.odoogitops.gitops.PromotionEngine;
import io.odoogitops.gitops.PromotionResult;
import io.odoogitops.gitops.RepositorySeed;
import io.odoogitops.policy.ApprovalScope;
import io.odoogitops.policy.Vote;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The policy check odooPromote hands to the core's promotion engine, against a real repository: the gate's votes
 * decide at landing, and the decision's trailers are what the commit carries. No Jenkins needed.
 */
class LandingPolicyTest {

  private static final String DIGEST = "sha256:" + "1".repeat(64);
  private static final ImageDigest PINNED = new ImageDigest(DIGEST);
  private static final ImageRef IMAGE = ImageRef.parse("registry.example.com/acme/odoo:17.0-1@" + DIGEST);

  @TempDir
  Path tmp;

  private GitOpsRepository repository;

  @BeforeEach
  void seed() {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("odoo-gitops.yaml", """
        timeZone: Europe/Brussels
        groups:
          release-managers: [dave]
        applications:
          odoo: { image: registry.example.com/acme/odoo }
        environments:
          staging: { path: envs/staging, layout: kustomize }
          production:
            path: envs/production
            layout: kustomize
            promoteFrom: staging
            gate: { approvals: 2, approvers: [user:alice, user:bob, group:release-managers], fourEyes: true }
        """);
    String kustomization = """
        apiVersion: kustomize.config.k8s.io/v1beta1
        kind: Kustomization
        images:
          - name: registry.example.com/acme/odoo
            digest: sha256:%s
        """.formatted("0".repeat(64));
    files.put("envs/staging/kustomization.yaml", kustomization);
    files.put("envs/production/kustomization.yaml", kustomization);
    Path bare = tmp.resolve("gitops.git");
    RepositorySeed.create(bare, "main", files, "initial");
    repository = GitOpsRepository.open(new GitOpsRemote(bare.toUri().toString(), "main", new GitCredentials.None(),
        tmp.resolve("cache")));
    engine(policy(List.of())).promote(Promotion.builder("staging", "odoo", IMAGE).initiator("starter").build());
  }

  @Test
  void withoutTheGatesVotesAGatedEnvironmentIsRefused() {
    assertThatThrownBy(() -> engine(policy(List.of())).promote(production()))
        .isInstanceOf(ReleaseException.class)
        .hasMessageContaining("approvals: 0 of 2");
  }

  @Test
  void twoCountedApprovalsLandWithTheirTrailers() {
    PromotionResult result = engine(policy(List.of(approve("alice"), approve("dave")))).promote(production());

    assertThat(result.outcome()).isEqualTo(PromotionResult.Outcome.LANDED);
    assertThat(repository.snapshot().history("production").list("odoo", 1).get(0).approvedBy())
        .containsExactly("alice", "dave");
  }

  @Test
  void theStartersApprovalDoesNotCount() {
    assertThatThrownBy(() -> engine(policy(List.of(approve("alice"), approve("starter")))).promote(production()))
        .isInstanceOf(ReleaseException.class)
        .hasMessageContaining("approvals: 1 of 2");
  }

  @Test
  void anAuthorOfTheBuildsScmChangesCannotApproveWhateverTheJenkinsfileClaims() {
    // no sourceAuthor claimed; the SCM changelog says dave wrote the change
    LandingPolicy policy = new LandingPolicy("production", "odoo", PINNED, null, null, null, null, null, null,
        List.of(approve("alice"), approve("dave")), List.of("dave"));

    assertThatThrownBy(() -> engine(policy).promote(production()))
        .isInstanceOf(ReleaseException.class)
        .hasMessageContaining("approvals: 1 of 2");
  }

  @Test
  void travelsToTheAgentWithItsDigestsAsValues() throws Exception {
    LandingPolicy policy = new LandingPolicy("production", "odoo", PINNED, null, null, PINNED, "PASS",
        "sha256:" + "d".repeat(64), null, List.of(approve("alice")));
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
      out.writeObject(policy);
    }
    try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(
        new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
      LandingPolicy read = (LandingPolicy) in.readObject();
      assertThat(read).isEqualTo(policy);
      assertThat(read.digest()).isEqualTo(PINNED);
      assertThat(read.dryRunDigest()).isEqualTo(PINNED);
    }
  }

  private static LandingPolicy policy(List<LandingPolicy.CastVote> votes) {
    return new LandingPolicy("production", "odoo", PINNED, null, null, null, null, null, null, votes);
  }

  /** dave approves through the release-managers group, as the gate page found it in his authorities. */
  private static LandingPolicy.CastVote approve(String voter) {
    return new LandingPolicy.CastVote(voter, Vote.APPROVE, ApprovalScope.PROMOTION, Instant.now().minusSeconds(60),
        voter.equals("dave") ? List.of("release-managers") : List.of(), null);
  }

  private static Promotion production() {
    return Promotion.builder("production", "odoo", IMAGE).initiator("starter").build();
  }

  private PromotionEngine engine(LandingPolicy policy) {
    return PromotionEngine.builder(repository).committer("Release Bot", "release@example.com")
        .landingCheck(policy.check()).build();
  }
}
