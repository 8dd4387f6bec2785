package io.odoogitops.jenkins.fleet;

import io.odoogitops.ImageDigest;
import io.odoogitops.fleet.FleetAdvance;
import io.odoogitops.fleet.FleetState;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Pipeline's view of the core's fleet values: strings, numbers, booleans, lists and maps only (they cross the
 * agent channel and land in Groovy), times in ISO-8601 with their offset, states as {@code fleet status} prints them.
 */
final class FleetMaps {

  private FleetMaps() {}

  /** {@code fleet status}: one row per tenant, in wave order. */
  static Map<String, Object> status(FleetState state) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("fleet", state.fleet());
    map.put("application", state.application());
    map.put("digest", ImageDigest.text(state.digest()));
    map.put("at", time(state.at()));
    Map<String, Object> counts = new LinkedHashMap<>();
    state.counts().forEach((s, n) -> counts.put(s.label(), n));
    map.put("counts", counts);
    map.put("halt", state.halt() == null ? null : halt(state.halt()));
    map.put("holds", state.holds().stream().map(h -> {
      Map<String, Object> hold = new LinkedHashMap<>();
      hold.put("tenant", h.tenant());
      hold.put("digest", ImageDigest.text(h.digest()));
      hold.put("rollbackCommit", h.rollbackCommit());
      hold.put("since", time(h.since()));
      hold.put("releaseCommand", h.releaseCommand());
      return hold;
    }).toList());
    List<Map<String, Object>> tenants = new ArrayList<>();
    for (FleetState.TenantState t : state.tenants()) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("tenant", t.tenant());
      row.put("wave", t.wave());
      row.put("zone", t.zone());
      row.put("state", t.state().label());
      row.put("running", ImageDigest.text(t.running()));
      row.put("promotionCommit", t.promotion() == null ? null : t.promotion().commit());
      row.put("rollbackCommit", t.rollback() == null ? null : t.rollback().commit());
      row.put("frozenBy", new ArrayList<>(t.frozenBy()));
      row.put("frozenUntil", time(t.frozenUntil()));
      row.put("verified", t.verified());
      row.put("verifiedAt", time(t.verifiedAt()));
      row.put("failure", t.failure());
      tenants.add(row);
    }
    map.put("tenants", tenants);
    return map;
  }

  /** {@code fleet promote}: what this run did, and the state after it. */
  static Map<String, Object> advance(FleetAdvance advance) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("fleet", advance.fleet());
    map.put("application", advance.application());
    map.put("digest", ImageDigest.text(advance.digest()));
    map.put("outcome", advance.outcome().name());
    map.put("message", advance.message());
    map.put("exitCode", advance.exitCode());
    map.put("promoted", steps(advance.promoted()));
    map.put("verified", steps(advance.verified()));
    map.put("failed", steps(advance.failed()));
    map.put("superseded", steps(advance.superseded()));
    List<Map<String, Object>> queued = new ArrayList<>();
    for (FleetAdvance.Queued q : advance.queued()) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("tenant", q.tenant());
      row.put("wave", q.wave());
      row.put("frozenBy", new ArrayList<>(q.frozenBy()));
      row.put("opensAt", time(q.opensAt()));
      queued.add(row);
    }
    map.put("queued", queued);
    map.put("nextWave", advance.nextWave());
    map.put("nextWaveAt", time(advance.nextWaveAt()));
    map.put("halt", advance.halt() == null ? null : halt(advance.halt()));
    map.put("status", status(advance.state()));
    return map;
  }

  private static List<Map<String, Object>> steps(List<FleetAdvance.TenantStep> steps) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (FleetAdvance.TenantStep s : steps) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("tenant", s.tenant());
      row.put("wave", s.wave());
      row.put("commit", s.commit());
      row.put("detail", s.detail());
      rows.add(row);
    }
    return rows;
  }

  private static Map<String, Object> halt(FleetState.Halt halt) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("reason", halt.reason());
    map.put("tenant", halt.tenant());
    map.put("wave", halt.wave());
    map.put("commit", halt.commit());
    map.put("at", time(halt.at()));
    map.put("by", halt.by());
    return map;
  }

  private static String time(ZonedDateTime time) {
    return time == null ? null : time.toOffsetDateTime().toString();
  }
}
