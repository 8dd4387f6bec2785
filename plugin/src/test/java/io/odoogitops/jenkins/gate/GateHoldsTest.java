package io.odoogitops.jenkins.gate;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.util.StreamTaskListener;
import io.odoogitops.gitops.GitCredentials;
import io.odoogitops.gitops.GitOpsRemote;
import io.odoogitops.gitops.GitOpsRepository;
import io.odoogitops.ImageRef;
import io.odoogitops.gitops.Promotion;
import io.odoogitops.gitops.PromotionEngine;
import io.odoogitops.gitops.PromotionResult;
import io.odoogitops.gitops.RepositorySeed;
import io.odoogitops.gitops.RollbackRequest;
import io.odoogitops.jenkins.repository.GitOpsAccess;
import io.odoogitops.policy.Decision;
import io.odoogitops.policy.Outcome;
import io.odoogitops.policy.RuleResult;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gate page's {@code hold} rule, against a real GitOps repository where a rollback took a digest away: the gate
 * reads the holds at the head it reads the policy from (on the agent, as odooGate does), keeps them with the build,
 * and refuses the held digest before anyone approves it. No Jenkins needed.
 */
class GateHoldsTest {

  private static final String REPOSITORY = "registry.example.com/acme/odoo";
  private static final String GOOD = "sha256:" + "1".repeat(64);
  private static final String BAD = "sha256:" + "2".repeat(64);
  private static final String NEWER = "sha256:" + "3".repeat(64);

  @TempDir
  Path tmp;

  private Path bare;
  private String rollbackCommit;

  @BeforeEach
  void rollBackABadRelease() throws Exception {
    bare = tmp.resolve("gitops.git");
    RepositorySeed.create(bare, "main", Map.of("odoo-gitops.yaml", """
        applications:
          odoo: { image: registry.example.com/acme/odoo }
        environments:
          production:
            path: envs/production
            layout: kustomize
            gate: { approvals: 1, approvers: [user:alice] }
        """, "envs/production/kustomization.yaml", """
        images:
          - name: registry.example.com/acme/odoo
            digest: sha256:%s
        """.formatted("0".repeat(64))), "initial");
    try (GitOpsRepository repository = GitOpsRepository.open(new GitOpsRemote(bare.toUri().toString(), "main",
        new GitCredentials.None(), tmp.resolve("cache")))) {
      PromotionEngine engine = PromotionEngine.builder(repository).build();
      engine.promote(Promotion.builder("production", "odoo", ImageRef.parse(REPOSITORY + ":1@" + GOOD))
          .initiator("alice").build());
      engine.promote(Promotion.builder("production", "odoo", ImageRef.parse(REPOSITORY + ":2@" + BAD))
          .initiator("alice").build());
      PromotionResult rolledBack = engine.rollback(new RollbackRequest("production", "odoo", null, "bad release",
          "alice", null, null, false));
      rollbackCommit = rolledBack.commitId();
    }
  }

  /** What odooGate gathers on the agent when it opens. */
  private GateInputs gather() throws Exception {
    GitOpsAccess access = new GitOpsAccess(bare.toUri().toString(), "main", null, null, null, null, null, false,
        "Release Bot", "release@example.com", tmp.resolve("agent-cache").toString());
    return new GateInputs.Gather(access, new StreamTaskListener(new ByteArrayOutputStream(), StandardCharsets.UTF_8),
        "production", "odoo", null).call();
  }

  private static GateAction gate(String digest, GateInputs inputs) {
    return new GateAction("gate-1", "production", "odoo", REPOSITORY + "@" + digest, digest, "starter", null, null,
        inputs, Instant.now().plus(Duration.ofHours(1)));
  }

  private static RuleResult hold(Decision decision) {
    return decision.rules().stream().filter(r -> r.rule().equals("hold")).findFirst().orElseThrow();
  }

  @Test
  void theHeldDigestIsRefusedOnTheGatePageBeforeAnyoneApprovesIt() throws Exception {
    GateInputs inputs = gather();
    assertThat(inputs.holds()).singleElement().satisfies(h -> {
      assertThat(h.getDigest()).isEqualTo(BAD);
      assertThat(h.getRollbackCommit()).isEqualTo(rollbackCommit);
    });

    GateAction held = gate(BAD, roundTrip(inputs));
    Decision decision = held.evaluate(List.of(), Instant.now());
    assertThat(hold(decision).outcome()).isEqualTo(Outcome.FAILED);
    assertThat(hold(decision).reason()).contains(BAD + " is held: rollback commit " + rollbackCommit.substring(0, 12));
    assertThat(held.settle(decision)).as("no vote lifts a hold").isEqualTo(GateAction.State.REFUSED);

    Decision newer = gate(NEWER, inputs).evaluate(List.of(), Instant.now());
    assertThat(hold(newer).outcome()).isEqualTo(Outcome.PASSED);
    assertThat(hold(newer).reason()).contains("is not held").contains(BAD);
  }

  @Test
  void aGateSavedBeforeHoldsWereKeptSaysSoWithoutACliHint() throws Exception {
    GateInputs gathered = gather();
    GateInputs old = new GateInputs(gathered.policyYaml(), gathered.policyCommit(), null, null, null, null, null,
        null, null);
    RuleResult rule = hold(gate(BAD, old).evaluate(List.of(), Instant.now()));
    assertThat(rule.outcome()).isEqualTo(Outcome.NOT_APPLICABLE);
    assertThat(rule.reason()).contains("no GitOps history was consulted").doesNotContain("--repo");
  }

  /** Across the agent channel, as the gathered inputs travel. */
  private static GateInputs roundTrip(GateInputs inputs) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(inputs);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (GateInputs) in.readObject();
    }
  }
}
