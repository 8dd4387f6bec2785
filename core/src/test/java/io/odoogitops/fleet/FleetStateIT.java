package io.odoogitops.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.odoogitops.config.ReleaseConfig;
import io.odoogitops.gitops.GitCredentials;
import io.odoogitops.gitops.GitOpsRemote;
import io.odoogitops.gitops.GitOpsRepository;
import io.odoogitops.gitops.PromotionEngine;
import io.odoogitops.policy.ReleasePolicy;
import io.odoogitops.testing.GitDaemon;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fleet status read back from a real history served by git daemon on loopback: tenants promoted by the fleet,
 * rolled back, superseded, frozen and waiting.
 */
class FleetStateIT {

  @TempDir Path dir;

  @Test
  void statusIsReadFromTheHistoryAlone() throws Exception {
    try (GitDaemon daemon = FleetFixture.serve(dir)) {
      GitOpsRemote remote = new GitOpsRemote(daemon.url("gitops.git"), "main", GitCredentials.none(),
          dir.resolve("caches"));
      try (GitOpsRepository writer = GitOpsRepository.open(new GitOpsRemote(daemon.url("gitops.git"), "main",
          GitCredentials.none(), dir.resolve("writer")))) {
        FleetFixture.writeHistory(PromotionEngine.builder(writer).build());
      }
      // Another machine, with a cache of its own, reads the same state.
      try (GitOpsRepository reader = GitOpsRepository.open(remote)) {
        PromotionEngine engine = PromotionEngine.builder(reader).build();
        Instant now = Instant.parse("2026-12-05T12:00:00Z");
        FleetState state = engine.queries().atHead(snapshot -> {
          ReleaseConfig config = snapshot.config();
          Fleet fleet = Fleet.of(config, "saas");
          Map<String, TenantFacts> facts = FleetHistory.read(reader, snapshot, fleet, FleetHistory.DEFAULT_LIMIT);
          assertThat(FleetState.latestDigest("saas", facts)).contains(FleetFixture.image(1).digest());
          return FleetState.of(fleet, FleetFixture.image(1).digest(), facts, ReleasePolicy.of(config), now);
        });

        Map<String, FleetState.TenantState> rows = new LinkedHashMap<>();
        state.tenants().forEach(t -> rows.put(t.tenant(), t));
        assertThat(rows.keySet()).containsExactly("acme", "globex", "initech", "umbrella", "hooli");

        FleetState.TenantState acme = rows.get("acme");
        assertThat(acme.state()).isEqualTo(FleetState.State.PROMOTED);
        assertThat(acme.wave()).isEqualTo("canary");
        assertThat(acme.promotion().fleet()).isEqualTo("saas");
        assertThat(acme.promotion().wave()).isEqualTo("canary");
        assertThat(acme.promotion().commit()).hasSize(40);
        assertThat(acme.verified()).isNull();

        FleetState.TenantState globex = rows.get("globex");
        assertThat(globex.state()).isEqualTo(FleetState.State.ROLLED_BACK);
        assertThat(globex.running().value()).isEqualTo("sha256:" + "0".repeat(64));
        assertThat(globex.promotion().wave()).isEqualTo("gold");
        assertThat(globex.rollback()).isNotNull();
        assertThat(globex.rollback().fleet()).isNull();
        assertThat(globex.rollback().initiator()).startsWith("bob");
        assertThat(globex.rollback().time().toInstant()).isAfterOrEqualTo(globex.promotion().time().toInstant());

        FleetState.TenantState initech = rows.get("initech");
        assertThat(initech.state()).isEqualTo(FleetState.State.SUPERSEDED);
        assertThat(initech.running()).isEqualTo(FleetFixture.image(2).digest());
        assertThat(initech.promotion().fleet()).isNull();

        FleetState.TenantState umbrella = rows.get("umbrella");
        assertThat(umbrella.state()).isEqualTo(FleetState.State.FROZEN);
        assertThat(umbrella.frozenBy()).containsExactly("year-end audit");
        assertThat(umbrella.frozenUntil()).isEqualTo(ZonedDateTime.of(2026, 12, 10, 8, 0, 0, 0,
            ZoneId.of("America/New_York")));

        assertThat(rows.get("hooli").state()).isEqualTo(FleetState.State.WAITING);
        assertThat(state.counts()).containsEntry(FleetState.State.PROMOTED, 1)
            .containsEntry(FleetState.State.ROLLED_BACK, 1).containsEntry(FleetState.State.WAITING, 1);

        // The plan from the same facts leaves promoted tenants alone and waits for umbrella's window.
        FleetPlan plan = engine.queries().atHead(snapshot -> FleetPlanner.plan(Fleet.of(snapshot.config(), "saas"),
            ReleasePolicy.of(snapshot.config()), FleetFixture.image(1).digest(), now, ZoneId.of("Europe/Brussels"),
            new FleetPlanner.Known(state, java.util.Set.of(), null, null)));
        assertThat(plan.waves().get(0).tenants().get(0).state()).isEqualTo("promoted");
        FleetPlan.TenantPlan planned = plan.waves().get(2).tenants().stream()
            .filter(t -> t.tenant().equals("umbrella")).findFirst().orElseThrow();
        assertThat(planned.start()).isEqualTo(umbrella.frozenUntil());
        assertThat(Duration.between(plan.waves().get(1).start(), plan.waves().get(2).start()))
            .isGreaterThanOrEqualTo(Duration.ofHours(4));
      }
    }
  }
}
