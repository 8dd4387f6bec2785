package io.odoogitops.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.odoogitops.ImageDigest;
import io.odoogitops.config.ConfigLoader;
import io.odoogitops.config.ReleaseConfig;
import io.odoogitops.gitops.HistoryEntry;
import io.odoogitops.policy.ReleasePolicy;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The state derivation as the pure function it is: histories written by hand, newest first. */
class FleetStateTest {

  private static final ImageDigest OLD = new ImageDigest("sha256:" + "0".repeat(64));
  private static final ImageDigest NEW = new ImageDigest("sha256:" + "1".repeat(64));
  private static final ImageDigest NEWER = new ImageDigest("sha256:" + "2".repeat(64));
  private static final ReleaseConfig CONFIG = ConfigLoader.load("""
      applications:
        odoo: { image: registry.example.com/acme/odoo }
      environments:
        a: { path: envs/a, layout: kustomize }
        b: { path: envs/b, layout: kustomize }
      fleets:
        saas:
          waves:
            - { canary: true, environments: [a] }
            - { environments: [b] }
      """.getBytes(StandardCharsets.UTF_8), "odoo-gitops.yaml");
  private static final Fleet FLEET = Fleet.of(CONFIG, "saas");
  private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

  private static FleetCommit promotion(String id, ImageDigest digest, ImageDigest previous, int minute, String fleet) {
    return new FleetCommit(new HistoryEntry("c" + id, NOW.minusSeconds(3600 - minute * 60L), id, "a", "odoo",
        "registry.example.com/acme/odoo@" + digest, digest, previous, null, "jenkins", List.of(), List.of(), null,
        "promote", "jenkins <ci@example.com>", null), fleet, fleet == null ? null : "canary");
  }

  private static FleetCommit rollback(String id, ImageDigest restored, ImageDigest from, List<String> undone, int minute) {
    return new FleetCommit(new HistoryEntry("c" + id, NOW.minusSeconds(3600 - minute * 60L), id, "a", "odoo",
        "registry.example.com/acme/odoo@" + restored, restored, from, null, "bob", List.of(), undone, "p0",
        "rollback", "bob <bob@example.com>", null), null, null);
  }

  private static FleetState.TenantState a(TenantFacts facts, ImageDigest digest) {
    return FleetState.of(FLEET, digest, Map.of("a", facts), ReleasePolicy.of(CONFIG), NOW).tenants().get(0);
  }

  /**
   * Manifests that name the digest with no sanctioned commit of it: under a trust root the tenant is changed outside
   * odoo-gitops, not verified (so wave b would stay closed); without one it counts as verified, as before; with a
   * sanctioned promotion it is verified either way.
   */
  @Test
  void runningTheDigestWithoutASanctionedPromotionIsChangedOutsideUnderATrustRoot() {
    FleetRecords none = new FleetRecords(Map.of(), null, 0, List.of());
    Map<String, TenantFacts> pushed = Map.of("a", new TenantFacts(NEW, List.of()));
    FleetState.TenantState trusted = FleetState.of(FLEET, NEW, pushed, ReleasePolicy.of(CONFIG), NOW, none,
        java.util.Set.of(), true).tenants().get(0);
    assertThat(trusted.state()).isEqualTo(FleetState.State.CHANGED_OUTSIDE);
    assertThat(trusted.verifiedAt()).isNull();
    assertThat(trusted.failure()).startsWith(FleetState.CHANGED_OUTSIDE_REASON);
    assertThat(FleetState.of(FLEET, NEW, pushed, ReleasePolicy.of(CONFIG), NOW, none, java.util.Set.of(), false)
        .tenants().get(0).state()).isEqualTo(FleetState.State.VERIFIED);
    Map<String, TenantFacts> promoted = Map.of("a", new TenantFacts(NEW, List.of(promotion("p1", NEW, OLD, 10,
        "saas"))));
    assertThat(FleetState.of(FLEET, NEW, promoted, ReleasePolicy.of(CONFIG), NOW, none, java.util.Set.of(), true)
        .tenants().get(0).state()).isEqualTo(FleetState.State.VERIFIED);
  }

  @Test
  void aRollbackAwayFromTheDigestCountsEvenWhenItsRollbackOfNamesOthers() {
    TenantFacts facts = new TenantFacts(OLD, List.of(rollback("r1", OLD, NEW, List.of("p-unknown"), 20),
        promotion("p1", NEW, OLD, 10, "saas")));

    FleetState.TenantState a = a(facts, NEW);
    assertThat(a.state()).isEqualTo(FleetState.State.ROLLED_BACK);
    assertThat(a.rollback().promotionId()).isEqualTo("r1");
    assertThat(a.promotion().fleet()).isEqualTo("saas");
  }

  @Test
  void theFirstRollbackAfterThePromotionIsTheOneThatUndidIt() {
    TenantFacts facts = new TenantFacts(OLD, List.of(
        rollback("r2", OLD, NEWER, List.of("p2"), 40),
        promotion("p2", NEWER, OLD, 30, null),
        rollback("r1", OLD, NEW, List.of("p1"), 20),
        promotion("p1", NEW, OLD, 10, "saas")));

    assertThat(a(facts, NEW).rollback().promotionId()).isEqualTo("r1");
    assertThat(a(facts, NEWER).rollback().promotionId()).isEqualTo("r2");
  }

  @Test
  void aDigestBroughtBackByARollbackIsPromotedAndAReplacedOneSuperseded() {
    TenantFacts back = new TenantFacts(NEW, List.of(rollback("r1", NEW, NEWER, List.of("p2"), 30),
        promotion("p2", NEWER, NEW, 20, null), promotion("p1", NEW, OLD, 10, "saas")));
    assertThat(a(back, NEW).state()).isEqualTo(FleetState.State.PROMOTED);
    assertThat(a(back, NEW).promotion().promotionId()).isEqualTo("p1");

    TenantFacts replaced = new TenantFacts(NEWER, List.of(promotion("p2", NEWER, NEW, 20, null),
        promotion("p1", NEW, OLD, 10, "saas")));
    assertThat(a(replaced, NEW).state()).isEqualTo(FleetState.State.SUPERSEDED);
    assertThat(a(replaced, NEW).rollback()).isNull();
  }

  @Test
  void theLatestDigestIsTheNewestFleetPromotionNotARollbackNorAHandPromotion() {
    Map<String, TenantFacts> facts = Map.of(
        "a", new TenantFacts(OLD, List.of(rollback("r1", OLD, NEW, List.of("p1"), 50),
            promotion("p1", NEW, OLD, 10, "saas"))),
        "b", new TenantFacts(NEWER, List.of(promotion("p3", NEWER, OLD, 40, null))));

    assertThat(FleetState.latestDigest("saas", facts)).contains(NEW);
    assertThat(FleetState.latestDigest("other", facts)).isEmpty();
  }

  @Test
  void aTenantWithoutFactsIsWaiting() {
    FleetState state = FleetState.of(FLEET, NEW, Map.of(), ReleasePolicy.of(CONFIG), NOW);

    assertThat(state.tenants()).extracting(FleetState.TenantState::state)
        .containsExactly(FleetState.State.WAITING, FleetState.State.WAITING);
    assertThat(state.tenants()).extracting(FleetState.TenantState::wave).containsExactly("wave-1", "wave-2");
  }
}
