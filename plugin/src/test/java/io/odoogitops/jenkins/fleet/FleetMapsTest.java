package io.odoogitops.jenkins.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.odoogitops.ImageDigest;
import io.odoogitops.fleet.FleetAdvance;
import io.odoogitops.fleet.FleetState;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The steps' maps hold only what a Pipeline and the agent channel take: strings, numbers, booleans, lists, maps. */
class FleetMapsTest {

  static final ImageDigest DIGEST = new ImageDigest("sha256:" + "ab".repeat(32));
  static final ZonedDateTime AT = ZonedDateTime.of(2026, 12, 5, 13, 0, 0, 0, ZoneId.of("Europe/Brussels"));

  private static FleetState state() {
    FleetState.CommitRef promotion = new FleetState.CommitRef("a".repeat(40), AT, "p-1", "saas", "canary", "alice");
    FleetState.Halt halt = new FleetState.Halt("verification failed", "globex", "gold", "b".repeat(40), AT, "bob");
    return new FleetState("saas", "odoo", DIGEST, AT, List.of(
        new FleetState.TenantState("acme", "canary", "Europe/Brussels", FleetState.State.VERIFIED, DIGEST, promotion,
            null, List.of(), null, true, AT, null),
        new FleetState.TenantState("globex", "gold", "America/New_York", FleetState.State.FAILED, null, null, null,
            List.of(), null, false, null, "workload runs sha256:00"),
        new FleetState.TenantState("umbrella", "gold", "America/New_York", FleetState.State.FROZEN, null, null, null,
            List.of("year-end"), AT.plusDays(3).withZoneSameInstant(ZoneId.of("America/New_York")), null)), halt,
        List.of());
  }

  @Test
  void statusIsPlainWithStatesAsFleetStatusPrintsThem() {
    Map<String, Object> map = FleetMaps.status(state());

    assertPlain(map);
    assertThat(map).containsEntry("fleet", "saas").containsEntry("digest", DIGEST.value())
        .containsEntry("at", "2026-12-05T13:00+01:00");
    assertThat(map(map.get("counts"))).containsEntry("verified", 1).containsEntry("failed", 1)
        .containsEntry("frozen", 1);
    assertThat(map(map.get("halt"))).containsEntry("tenant", "globex").containsEntry("by", "bob");
    List<?> tenants = list(map.get("tenants"));
    assertThat(tenants).hasSize(3);
    assertThat(map(tenants.get(0))).containsEntry("state", "verified").containsEntry("verified", true)
        .containsEntry("promotionCommit", "a".repeat(40));
    assertThat(map(tenants.get(2))).containsEntry("state", "frozen")
        .containsEntry("frozenUntil", "2026-12-08T07:00-05:00").containsEntry("frozenBy", List.of("year-end"));
  }

  @Test
  void advanceCarriesWhatTheRunDidAndTheStateAfterIt() {
    FleetAdvance advance = new FleetAdvance("saas", "odoo", DIGEST, FleetAdvance.Outcome.HALTED, "globex failed",
        List.of(new FleetAdvance.TenantStep("globex", "gold", "c".repeat(40), null)), List.of(),
        List.of(new FleetAdvance.TenantStep("globex", "gold", "b".repeat(40), "verification failed")),
        List.of(new FleetAdvance.Queued("umbrella", "gold", List.of("year-end"), AT)), null, null,
        state().halt(), state());

    Map<String, Object> map = FleetMaps.advance(advance);

    assertPlain(map);
    assertThat(map).containsEntry("outcome", "HALTED").containsEntry("exitCode", 1)
        .containsEntry("message", "globex failed");
    assertThat(list(map.get("failed"))).singleElement()
        .satisfies(f -> assertThat(map(f)).containsEntry("detail", "verification failed"));
    assertThat(list(map.get("queued"))).singleElement()
        .satisfies(q -> assertThat(map(q)).containsEntry("opensAt", "2026-12-05T13:00+01:00"));
    assertThat(map(map.get("status"))).containsEntry("fleet", "saas");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return (Map<String, Object>) value;
  }

  private static List<?> list(Object value) {
    return (List<?>) value;
  }

  private static void assertPlain(Object value) {
    if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> {
        assertThat(k).isInstanceOf(String.class);
        assertPlain(v);
      });
    } else if (value instanceof List<?> list) {
      list.forEach(FleetMapsTest::assertPlain);
    } else if (value != null) {
      assertThat(value).isInstanceOfAny(String.class, Number.class, Boolean.class);
    }
  }
}
