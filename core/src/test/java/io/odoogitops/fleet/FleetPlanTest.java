package io.odoogitops.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.odoogitops.ImageDigest;
import io.odoogitops.config.ConfigLoader;
import io.odoogitops.config.ReleaseConfig;
import io.odoogitops.policy.ReleasePolicy;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Set;
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
    FleetPlan plan = FleetPlanner.plan(Fleet.of(CONFIG, "saas"), ReleasePolicy.of(CONFIG), DIGEST, now, Set.of(),
        ZoneId.of("Europe/Brussels"));

    FleetPlan.WavePlan canary = plan.waves().get(0);
    FleetPlan.TenantPlan acme = canary.tenants().get(0);
    assertThat(acme.state()).isEqualTo("open");
    assertThat(acme.start().toInstant()).isEqualTo(now);
    assertThat(acme.end().toInstant()).isEqualTo(now.plusSeconds(600));
    assertThat(acme.needs()).singleElement().asString().startsWith("promote-from: acme promotes from staging");

    FleetPlan.WavePlan rest = plan.waves().get(1);
    assertThat(rest.start().toInstant()).isEqualTo(Instant.parse("2026-12-02T11:10:00Z"));
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
    assertThat(plan.finish().toInstant()).isEqualTo(Instant.parse("2026-12-03T13:10:00Z"));
    assertThat(plan.unplanned()).isEmpty();
  }
}
