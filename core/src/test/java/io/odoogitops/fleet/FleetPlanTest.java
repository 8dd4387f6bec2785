package io.odoogitops.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.odoogitops.ImageDigest;
import io.odoogitops.config.ConfigLoader;
import io.odoogitops.config.ReleaseConfig;
import io.odoogitops.policy.Candidate;
import io.odoogitops.policy.Decision;
import io.odoogitops.policy.DryRunEvidence;
import io.odoogitops.policy.GateRequest;
import io.odoogitops.policy.Outcome;
import io.odoogitops.policy.ReleasePolicy;
import io.odoogitops.policy.RuleResult;
import io.odoogitops.policy.Trailer;
import io.odoogitops.policy.Verdict;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class FleetPlanTest {

  private static final ImageDigest DIGEST = new ImageDigest("sha256:" + "cd".repeat(32));
  private static final ReleaseConfig CONFIG = ConfigLoader.load("""
      timeZone: Europe/Brussels
      applications:
        odoo: { image: registry.example.com/acme/odoo }
      groups:
        release-managers: [carol, dave]
      environments:
        staging: { path: envs/staging, layout: kustomize }
        acme: { path: envs/acme, layout: kustomize, promoteFrom: staging }
        globex:
          path: envs/globex
          layout: kustomize
          promoteFrom: acme
          freeze:
            - { name: audit, from: 2026-12-01T00:00, to: 2026-12-03T08:00, timeZone: America/New_York }
        initech:
          path: envs/initech
          layout: kustomize
          gate: { approvals: 2, approvers: [group:release-managers], dryRun: PASS }
      fleets:
        saas:
          tenants: [acme, globex, initech]
          waves:
            - { name: canary, canary: true, environments: [acme], soak: 2h }
            - { name: rest, environments: [globex, initech], gate: [promote-from, approvals] }
      """.getBytes(StandardCharsets.UTF_8), "odoo-gitops.yaml");

  @Test
  void theRolloutWaitsForSoakAndOpensFrozenTenantsInTheirOwnZone() {
    Instant now = Instant.parse("2026-12-02T09:00:00Z");
    FleetPlan plan = FleetPlanner.plan(Fleet.of(CONFIG, "saas"), ReleasePolicy.of(CONFIG), DIGEST, now,
        ZoneId.of("Europe/Brussels"), FleetPlanner.Known.configuration(Set.of(), null));

    FleetPlan.WavePlan canary = plan.waves().get(0);
    FleetPlan.TenantPlan acme = canary.tenants().get(0);
    assertThat(acme.state()).isEqualTo("open");
    assertThat(acme.start().toInstant()).isEqualTo(now);
    // No cluster block: fleet promote lands it with the wave's first push and counts it verified then.
    assertThat(acme.clustered()).isFalse();
    assertThat(acme.end().toInstant()).isEqualTo(now);
    assertThat(acme.needs()).singleElement().asString().startsWith("promote-from: acme promotes from staging");

    FleetPlan.WavePlan rest = plan.waves().get(1);
    assertThat(rest.start().toInstant()).isEqualTo(Instant.parse("2026-12-02T11:00:00Z"));
    FleetPlan.TenantPlan globex = rest.tenants().get(0);
    FleetPlan.TenantPlan initech = rest.tenants().get(1);
    assertThat(globex.state()).isEqualTo("frozen");
    assertThat(globex.frozenBy()).containsExactly("audit");
    assertThat(globex.opensAt()).isEqualTo(ZonedDateTime.of(2026, 12, 3, 8, 0, 0, 0,
        ZoneId.of("America/New_York")));
    // acme comes in the earlier wave, so globex's promoteFrom is planned, not needed.
    assertThat(globex.needs()).isEmpty();
    assertThat(globex.start()).isEqualTo(globex.opensAt());
    // initech is open: it goes first in its wave although listed second; its dry-run is not required in this wave.
    assertThat(initech.start().toInstant()).isEqualTo(rest.start().toInstant());
    assertThat(initech.needs()).singleElement().asString()
        .startsWith("approvals: 0 of 2 required approval(s)");
    assertThat(rest.end().toInstant()).isEqualTo(globex.end().toInstant());
    assertThat(plan.finish().toInstant()).isEqualTo(Instant.parse("2026-12-03T13:00:00Z"));
    assertThat(plan.unplanned()).isEmpty();
    assertThat(plan.source()).isEqualTo(FleetPlan.CONFIGURATION);
    assertThat(plan.notRead()).containsExactly("promotions and verifications", "halts", "holds", "votes",
        "dry-run reports");
    assertThat(initech.approvals()).isEqualTo(new FleetPlan.Approvals(2, null, List.of()));
  }

  private static final Instant NOW = Instant.parse("2026-12-02T09:00:00Z");
  private static final ZoneId BRUSSELS = ZoneId.of("Europe/Brussels");

  /** The tenant's gate as fleet promote asks it, without votes or evidence. */
  private static Decision decide(String tenant) {
    return ReleasePolicy.of(CONFIG).evaluate(GateRequest.builder(Candidate.promotion(tenant, "odoo", DIGEST))
        .initiator("ci").at(NOW).build());
  }

  @Test
  void tenantsWithAClusterTakeSlotsForTheTenantTimeAndOthersLandWhenTheyOpen() {
    Instant now = Instant.parse("2026-12-02T09:00:00Z");
    Fleet fleet = Fleet.of(CONFIG, "saas").with(1, Duration.ofHours(2));
    FleetPlan plan = FleetPlanner.plan(fleet, ReleasePolicy.of(CONFIG), DIGEST, now, ZoneId.of("Europe/Brussels"),
        FleetPlanner.Known.configuration(Set.of("acme", "initech"), null));

    FleetPlan.TenantPlan acme = plan.waves().get(0).tenants().get(0);
    assertThat(acme.clustered()).isTrue();
    assertThat(acme.end().toInstant()).isEqualTo(now.plusSeconds(600));
    FleetPlan.WavePlan rest = plan.waves().get(1);
    assertThat(rest.start().toInstant()).isEqualTo(Instant.parse("2026-12-02T11:10:00Z"));
    FleetPlan.TenantPlan initech = rest.tenants().get(1);
    assertThat(initech.end().toInstant()).isEqualTo(rest.start().toInstant().plusSeconds(600));
    FleetPlan.TenantPlan globex = rest.tenants().get(0);
    assertThat(globex.end()).isEqualTo(globex.start());
  }

  /** Built as fleet status reads it: canary verified an hour ago and soaking; the rest waiting, votes on one. */
  @Test
  void aHalfRolledOutFleetIsPlannedFromWhereItStands() {
    ZonedDateTime verified = NOW.minusSeconds(3600).atZone(BRUSSELS);
    FleetState.CommitRef promotion = new FleetState.CommitRef("a".repeat(40), verified.minusMinutes(5), "fleet-1",
        "saas", "canary", "ci");
    FleetState state = new FleetState("saas", "odoo", DIGEST, NOW.atZone(BRUSSELS), List.of(
        new FleetState.TenantState("acme", "canary", "Europe/Brussels", FleetState.State.SOAKING, DIGEST, promotion,
            null, List.of(), null, true, verified, null),
        new FleetState.TenantState("globex", "rest", "America/New_York", FleetState.State.FROZEN, null, null, null,
            List.of("audit"), null, null),
        new FleetState.TenantState("initech", "rest", "Europe/Brussels", FleetState.State.WAITING, null, null, null,
            List.of(), null, null)), null, List.of(), List.of(
        new FleetState.TenantHold("initech", DIGEST, "b".repeat(40), verified, "odoo-gitops hold release ..."),
        new FleetState.TenantHold("globex", new ImageDigest("sha256:" + "ee".repeat(32)), "c".repeat(40), verified, "...")));
    Function<String, Decision> gate = FleetPlanTest::decide;
    Function<String, Decision> withVotes = tenant -> {
      Decision d = gate.apply(tenant);
      if (!tenant.equals("initech")) {
        return d;
      }
      // What the gate says of initech with carol's vote and the hold: one of two, and held.
      List<RuleResult> rules = new ArrayList<>(d.rules().stream().filter(r -> !r.rule().equals("approvals")
          && !r.rule().equals("hold")).toList());
      rules.add(new RuleResult("approvals", Outcome.FAILED, "1 of 2 required approval(s) (counted: carol)",
          List.of()));
      rules.add(new RuleResult("hold", Outcome.FAILED, "held since a rollback; release it", List.of()));
      return new Decision(d.candidate(), d.at(), rules, List.of(new Trailer("Approved-By", "carol")));
    };
    Optional<DryRunEvidence> pass = Optional.of(new DryRunEvidence(DIGEST, Verdict.PASS, "sha256:" + "1".repeat(64)));
    Optional<DryRunEvidence> otherDigest = Optional.of(new DryRunEvidence(new ImageDigest("sha256:" + "ee".repeat(32)), Verdict.FAIL,
        "sha256:" + "2".repeat(64)));
    FleetPlan plan = FleetPlanner.plan(Fleet.of(CONFIG, "saas"), ReleasePolicy.of(CONFIG), DIGEST, NOW, BRUSSELS,
        new FleetPlanner.Known(state,
        Set.of("initech"), withVotes, t -> t.equals("initech") ? pass : t.equals("globex") ? otherDigest
            : Optional.empty()));

    assertThat(plan.source()).isEqualTo(FleetPlan.REPOSITORY);
    assertThat(plan.notRead()).isEmpty();
    assertThat(plan.halt()).isNull();
    FleetPlan.WavePlan canary = plan.waves().get(0);
    FleetPlan.TenantPlan acme = canary.tenants().get(0);
    assertThat(acme.state()).isEqualTo("soaking");
    assertThat(acme.start()).isNull();
    assertThat(acme.verifiedAt()).isEqualTo(verified);
    assertThat(acme.needs()).isEmpty();
    // The running soak ends at its end time: an hour from now, not two hours and a tenant time from now.
    assertThat(canary.end()).isEqualTo(verified);
    assertThat(canary.soakEnds().toInstant()).isEqualTo(NOW.plusSeconds(3600));
    FleetPlan.WavePlan rest = plan.waves().get(1);
    assertThat(rest.start().toInstant()).isEqualTo(NOW.plusSeconds(3600));

    FleetPlan.TenantPlan initech = rest.tenants().get(1);
    assertThat(initech.approvals()).isEqualTo(new FleetPlan.Approvals(2, 1, List.of("carol")));
    assertThat(initech.hold().rollbackCommit()).isEqualTo("b".repeat(40));
    // The wave does not list holds, but fleet promote always enforces them.
    assertThat(initech.needs()).anySatisfy(n -> assertThat(n).startsWith("hold: held since"))
        .anySatisfy(n -> assertThat(n).startsWith("approvals: 1 of 2"));
    assertThat(initech.dryRun()).isEqualTo("PASS");
    assertThat(initech.restorePoint()).isEqualTo("not required");
    assertThat(initech.start().toInstant()).isEqualTo(rest.start().toInstant());
    assertThat(initech.end().toInstant()).isEqualTo(rest.start().toInstant().plusSeconds(600));

    FleetPlan.TenantPlan globex = rest.tenants().get(0);
    assertThat(globex.hold()).as("a hold of another digest").isNull();
    assertThat(globex.dryRun()).as("a FAIL of another digest says nothing of this one").isEqualTo("missing");
    assertThat(globex.needs()).isEmpty();
    assertThat(plan.finish().toInstant()).isEqualTo(Instant.parse("2026-12-03T13:00:00Z"));
  }

  @Test
  void aHaltAFailedTenantAPendingVerificationAndAFailingReportAreShown() {
    FleetState.CommitRef promotion = new FleetState.CommitRef("a".repeat(40), NOW.minusSeconds(60).atZone(BRUSSELS),
        "fleet-1", "saas", "canary", "ci");
    FleetState.Halt halt = new FleetState.Halt("initech: the gate refused", "initech", "rest", "d".repeat(40),
        NOW.minusSeconds(30).atZone(BRUSSELS), "ci");
    FleetState state = new FleetState("saas", "odoo", DIGEST, NOW.atZone(BRUSSELS), List.of(
        new FleetState.TenantState("acme", "canary", "Europe/Brussels", FleetState.State.PROMOTED, DIGEST, promotion,
            null, List.of(), null, null),
        new FleetState.TenantState("globex", "rest", "America/New_York", FleetState.State.FROZEN, null, null, null,
            List.of("audit"), null, null),
        new FleetState.TenantState("initech", "rest", "Europe/Brussels", FleetState.State.FAILED, null, null, null,
            List.of(), null, null, null, "the gate refused")), halt, List.of());
    Function<String, Decision> gate = FleetPlanTest::decide;
    Optional<DryRunEvidence> fail = Optional.of(new DryRunEvidence(DIGEST, Verdict.FAIL, "sha256:" + "1".repeat(64)));
    FleetPlan plan = FleetPlanner.plan(Fleet.of(CONFIG, "saas"), ReleasePolicy.of(CONFIG), DIGEST, NOW, BRUSSELS,
        new FleetPlanner.Known(state,
        Set.of("acme"), gate, t -> t.equals("globex") ? fail : Optional.empty()));

    assertThat(plan.halt()).isEqualTo(halt);
    FleetPlan.TenantPlan acme = plan.waves().get(0).tenants().get(0);
    // Promoted by an earlier run, its verification comes first, in a slot, with no window needed.
    assertThat(acme.state()).isEqualTo("promoted");
    assertThat(acme.start().toInstant()).isEqualTo(NOW);
    assertThat(acme.end().toInstant()).isEqualTo(NOW.plusSeconds(600));
    FleetPlan.WavePlan rest = plan.waves().get(1);
    assertThat(rest.start().toInstant()).isEqualTo(NOW.plusSeconds(600 + 7200));
    FleetPlan.TenantPlan globex = rest.tenants().get(0);
    assertThat(globex.dryRun()).isEqualTo("FAIL");
    assertThat(globex.needs()).singleElement().asString().startsWith("dry-run: the dry-run report of globex says"
        + " FAIL");
    FleetPlan.TenantPlan initech = rest.tenants().get(1);
    assertThat(initech.state()).isEqualTo("failed");
    assertThat(initech.failure()).isEqualTo("the gate refused");
    assertThat(initech.approvals()).isEqualTo(new FleetPlan.Approvals(2, 0, List.of()));
    assertThat(initech.dryRun()).isEqualTo("missing");
    assertThat(initech.start()).isNotNull();
  }
}
