package io.odoogitops.gitops;

import io.odoogitops.ImageRef;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.odoogitops.ReleaseException;
import io.odoogitops.policy.Approval;
import io.odoogitops.policy.ApprovalScope;
import io.odoogitops.policy.Candidate;
import io.odoogitops.policy.OverrideRequest;
import io.odoogitops.policy.Vote;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The release policy enforced at the push: gates, promoteFrom, freezes and overrides against a real git server. */
class GateCheckIT {

  static final String CONFIG = """
      timeZone: Europe/Brussels
      groups:
        release-managers: [carol, dave, erin]
      applications:
        odoo: { image: registry.example.com/acme/odoo }
        worker: { image: registry.example.com/acme/worker }
      environments:
        staging: { path: envs/staging, layout: kustomize }
        production:
          path: envs/production
          layout: kustomize
          promoteFrom: staging
          gate: { approvals: 2, approvers: [group:release-managers], fourEyes: true }
          freeze:
            - name: month-end close
              monthEndClose: { businessDaysBefore: 2, businessDaysAfter: 1 }
          override: { approvals: 1, approvers: [group:release-managers] }
      """;

  // Wednesday 2026-11-18 10:00 Brussels: open. Monday 2026-11-30: last business day of November, frozen.
  static final Instant OPEN = Instant.parse("2026-11-18T09:00:00Z");
  static final Instant FROZEN = Instant.parse("2026-11-30T09:00:00Z");

  @TempDir Path tmp;
  GitOpsFixture fixture;
  GitOpsRepository repo;

  @BeforeEach
  void start() throws Exception {
    Map<String, String> files = GitOpsFixture.defaultFiles();
    files.put("odoo-gitops.yaml", CONFIG);
    fixture = GitOpsFixture.start(tmp, files);
    repo = fixture.open("gate");
  }

  @AfterEach
  void stop() {
    if (repo != null) {
      repo.close();
    }
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void productionNeedsTheDigestInStagingAndTwoApprovalsFromOthers() throws Exception {
    ImageRef image = GitOpsFixture.image(7);
    Promotion toProduction = Promotion.builder("production", "odoo", image).initiator("carol").build();
    Candidate candidate = Candidate.promotion("production", "odoo", image.digest());

    assertThatThrownBy(() -> engine(GateCheck.Inputs.none(), OPEN).promote(toProduction))
        .isInstanceOfSatisfying(GateRefused.class, e -> {
          assertThat(e.kind()).isEqualTo(ReleaseException.Kind.REFUSED);
          // The refusal carries the decision it was made with, for front ends that show every rule.
          assertThat(e.decision().candidate()).isEqualTo(candidate);
          assertThat(e.decision().allowed()).isFalse();
          assertThat(e.decision().failures()).isNotEmpty();
        })
        .hasMessageContaining("promote-from")
        .hasMessageContaining("approvals");

    engine(GateCheck.Inputs.none(), OPEN).promote(Promotion.builder("staging", "odoo", image).initiator("ci").build());

    // carol started it and cannot approve; a vote for another digest does not count.
    List<Approval> votes = List.of(
        Approval.approve("carol", candidate, OPEN.minusSeconds(60)),
        Approval.approve("dave", candidate, OPEN.minusSeconds(60)),
        Approval.approve("erin", Candidate.promotion("production", "odoo", GitOpsFixture.image(8).digest()),
            OPEN.minusSeconds(60)));
    assertThatThrownBy(() -> engine(inputs(votes), OPEN).promote(toProduction))
        .hasMessageContaining("approvals");

    List<Approval> enough = List.of(Approval.approve("dave", candidate, OPEN.minusSeconds(60)),
        Approval.approve("erin", candidate, OPEN.minusSeconds(30)));
    PromotionResult landed = engine(inputs(enough), OPEN).promote(toProduction);
    assertThat(landed.outcome()).isEqualTo(PromotionResult.Outcome.LANDED);
    assertThat(head().getFooterLines("Approved-By")).containsExactlyInAnyOrder("dave", "erin");
    assertThat(landed.decision().candidate()).isEqualTo(candidate);
    assertThat(landed.decision().allowed()).isTrue();
    assertThat(landed.decision().trailers()).isNotEmpty();
  }

  @Test
  void freezeRefusesPromotionsButLetsRollbacksThroughAndAnOverrideIsRecorded() throws Exception {
    ImageRef first = GitOpsFixture.image(1);
    ImageRef second = GitOpsFixture.image(2);
    for (ImageRef image : List.of(first, second)) {
      engine(GateCheck.Inputs.none(), OPEN).promote(Promotion.builder("staging", "odoo", image).initiator("ci").build());
      Candidate c = Candidate.promotion("production", "odoo", image.digest());
      engine(inputs(List.of(Approval.approve("dave", c, OPEN), Approval.approve("erin", c, OPEN))), OPEN)
          .promote(Promotion.builder("production", "odoo", image).initiator("carol").build());
    }
    ImageRef third = GitOpsFixture.image(3);
    engine(GateCheck.Inputs.none(), OPEN).promote(Promotion.builder("staging", "odoo", third).initiator("ci").build());
    Candidate c3 = Candidate.promotion("production", "odoo", third.digest());
    List<Approval> approvals = List.of(Approval.approve("dave", c3, FROZEN.minusSeconds(600)),
        Approval.approve("erin", c3, FROZEN.minusSeconds(600)));
    Promotion frozen = Promotion.builder("production", "odoo", third).initiator("carol").build();
    int before = commitCount();
    assertThatThrownBy(() -> engine(inputs(approvals), FROZEN).promote(frozen))
        .hasMessageContaining("freeze").hasMessageContaining("month-end close");
    assertThat(commitCount()).isEqualTo(before);

    PromotionResult rollback = engine(GateCheck.Inputs.none(), FROZEN).rollback(
        new RollbackRequest("production", "odoo", null, "posting fails", "oncall", null, null));
    assertThat(rollback.outcome()).isEqualTo(PromotionResult.Outcome.LANDED);
    assertThat(rollback.digest()).isEqualTo(first.digest());

    List<Approval> withOverride = new java.util.ArrayList<>(approvals);
    withOverride.add(new Approval("dave", "production", "odoo", third.digest(), FROZEN.minusSeconds(300),
        Vote.APPROVE, ApprovalScope.FREEZE_OVERRIDE));
    GateCheck.Inputs overriding = new GateCheck.Inputs(null, withOverride, Optional.empty(),
        Optional.of(new OverrideRequest("legal deadline: VAT rate change must ship before the close")));
    PromotionResult overridden = engine(overriding, FROZEN).promote(frozen);
    assertThat(overridden.outcome()).isEqualTo(PromotionResult.Outcome.LANDED);
    RevCommit head = head();
    assertThat(head.getFooterLines("Freeze-Override")).isNotEmpty();
    assertThat(head.getFooterLines("Override-Justification"))
        .containsExactly("legal deadline: VAT rate change must ship before the close");
  }

  private PromotionEngine engine(GateCheck.Inputs inputs, Instant at) {
    return PromotionEngine.builder(repo).landingCheck(new GateCheck(inputs, Clock.fixed(at, ZoneOffset.UTC)))
        .build();
  }

  private static GateCheck.Inputs inputs(List<Approval> votes) {
    return new GateCheck.Inputs(null, votes, Optional.empty(), Optional.empty());
  }

  private RevCommit head() throws Exception {
    try (Git git = Git.open(tmp.resolve("served/gitops.git").toFile())) {
      return git.log().setMaxCount(1).call().iterator().next();
    }
  }

  private int commitCount() throws Exception {
    try (Git git = Git.open(tmp.resolve("served/gitops.git").toFile())) {
      int n = 0;
      for (RevCommit ignored : git.log().call()) {
        n++;
      }
      return n;
    }
  }
}
