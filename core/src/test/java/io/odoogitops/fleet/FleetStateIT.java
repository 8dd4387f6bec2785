package io.odoogitops.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.odoogitops.config.ReleaseConfig;
import io.odoogitops.gitops.GitCredentials;
import io.odoogitops.gitops.GitOpsRemote;
import io.odoogitops.gitops.GitOpsRepository;
import io.odoogitops.gitops.ImageRef;
import io.odoogitops.gitops.Promotion;
import io.odoogitops.gitops.PromotionEngine;
import io.odoogitops.gitops.RepositorySeed;
import io.odoogitops.gitops.RollbackRequest;
import io.odoogitops.gitops.Trailers;
import io.odoogitops.policy.ReleasePolicy;
import io.odoogitops.testing.GitDaemon;
import java.nio.file.Files;
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

  static final String REPO = "registry.example.com/acme/odoo";
  static final String CONFIG = """
      timeZone: Europe/Brussels
      applications:
        odoo: { image: registry.example.com/acme/odoo }
      environments:
        acme: { path: envs/acme, layout: kustomize, labels: { tier: canary } }
        globex: { path: envs/globex, layout: kustomize, labels: { tier: gold } }
        initech: { path: envs/initech, layout: kustomize, labels: { tier: gold } }
        umbrella:
          path: envs/umbrella
          layout: kustomize
          labels: { tier: silver }
          freeze:
            - { name: year-end audit, from: 2026-12-01T00:00, to: 2026-12-10T08:00, timeZone: America/New_York }
        hooli: { path: envs/hooli, layout: kustomize, labels: { tier: silver } }
      fleets:
        saas:
          waves:
            - { name: canary, canary: true, environments: [acme], soak: 2h }
            - { name: gold, selector: { matchLabels: { tier: gold } }, maxParallel: 2, soak: 4h }
            - { name: silver, selector: { matchLabels: { tier: silver } } }
      """;
  static final String TENANTS = "acme globex initech umbrella hooli";

  @TempDir Path dir;

  /** The served repository with every tenant on digest 0. */
  static Map<String, String> files() {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("odoo-gitops.yaml", CONFIG);
    for (String tenant : TENANTS.split(" ")) {
      files.put("envs/" + tenant + "/kustomization.yaml", "images:\n  - name: " + REPO + "\n    digest: sha256:"
          + "0".repeat(64) + "\n");
    }
    return files;
  }

  static ImageRef image(int n) {
    return new ImageRef(REPO, "17.0-build" + n, "sha256:" + String.format("%064x", n));
  }

  /**
   * acme and globex get digest 1 from the fleet, globex is rolled back, initech gets 1 by hand and then 2; umbrella
   * and hooli have not been touched.
   */
  static void writeHistory(PromotionEngine engine) {
    engine.promote(Promotion.builder("acme", "odoo", image(1)).initiator("jenkins")
        .trailer(Trailers.FLEET, "saas").trailer(Trailers.WAVE, "canary").build());
    engine.promote(Promotion.builder("globex", "odoo", image(1)).initiator("jenkins")
        .trailer(Trailers.FLEET, "saas").trailer(Trailers.WAVE, "gold").build());
    engine.promote(Promotion.builder("initech", "odoo", image(1)).initiator("alice").build());
    engine.promote(Promotion.builder("initech", "odoo", image(2)).initiator("alice").build());
    engine.rollback(new RollbackRequest("globex", "odoo", null, "login page broken", "bob", null, null));
  }

  @Test
  void statusIsReadFromTheHistoryAlone() throws Exception {
    Path served = Files.createDirectories(dir.resolve("served"));
    RepositorySeed.create(served.resolve("gitops.git"), "main", files(), "initial GitOps repository");
    try (GitDaemon daemon = GitDaemon.start(served)) {
      GitOpsRemote remote = new GitOpsRemote(daemon.url("gitops.git"), "main", GitCredentials.none(),
          dir.resolve("caches"));
      try (GitOpsRepository writer = GitOpsRepository.open(new GitOpsRemote(daemon.url("gitops.git"), "main",
          GitCredentials.none(), dir.resolve("writer")))) {
        writeHistory(PromotionEngine.builder(writer).build());
      }
      // Another machine, with a cache of its own, reads the same state.
      try (GitOpsRepository reader = GitOpsRepository.open(remote)) {
        PromotionEngine engine = PromotionEngine.builder(reader).build();
        Instant now = Instant.parse("2026-12-05T12:00:00Z");
        FleetState state = engine.atHead(snapshot -> {
          ReleaseConfig config = snapshot.config();
          Fleet fleet = Fleet.of(config, "saas");
          Map<String, TenantFacts> facts = FleetHistory.read(reader, snapshot, fleet, FleetHistory.DEFAULT_LIMIT);
          assertThat(FleetState.latestDigest("saas", facts)).contains(image(1).digest());
          return FleetState.of(fleet, image(1).digest(), facts, ReleasePolicy.of(config), now);
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
        assertThat(globex.running()).isEqualTo("sha256:" + "0".repeat(64));
        assertThat(globex.promotion().wave()).isEqualTo("gold");
        assertThat(globex.rollback()).isNotNull();
        assertThat(globex.rollback().fleet()).isNull();
        assertThat(globex.rollback().initiator()).startsWith("bob");
        assertThat(globex.rollback().time().toInstant()).isAfterOrEqualTo(globex.promotion().time().toInstant());

        FleetState.TenantState initech = rows.get("initech");
        assertThat(initech.state()).isEqualTo(FleetState.State.SUPERSEDED);
        assertThat(initech.running()).isEqualTo(image(2).digest());
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
        FleetPlan plan = engine.atHead(snapshot -> FleetPlanner.plan(Fleet.of(snapshot.config(), "saas"),
            ReleasePolicy.of(snapshot.config()), image(1).digest(), now, java.util.Set.of("acme"),
            ZoneId.of("Europe/Brussels")));
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
