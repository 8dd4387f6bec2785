package io.odoogitops.fleet;

import io.odoogitops.ImageDigest;
import io.odoogitops.gitops.GitOpsRepository;
import io.odoogitops.gitops.HistoryEntry;
import io.odoogitops.gitops.Snapshot;
import io.odoogitops.gitops.Trailers;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the facts of every tenant of a fleet from one snapshot of the GitOps repository; nothing is written. */
public final class FleetHistory {

  /** How many entries of each tenant's history are read unless told otherwise. */
  public static final int DEFAULT_LIMIT = 200;
  private static final List<String> KEYS = List.of(Trailers.FLEET, Trailers.WAVE);

  private FleetHistory() {}

  /**
   * The deployed digest and the newest {@code limit} history entries of the fleet's application, per tenant.
   * {@code snapshot} must come from {@code repository}, read under its lock (as {@code PromotionEngine.atHead} does).
   */
  public static Map<String, TenantFacts> read(GitOpsRepository repository, Snapshot snapshot, Fleet fleet,
      int limit) {
    Map<String, TenantFacts> facts = new LinkedHashMap<>();
    for (Fleet.Tenant tenant : fleet.tenants()) {
      List<HistoryEntry> entries = snapshot.history(tenant.name()).list(fleet.application(), limit);
      List<FleetCommit> commits = entries.stream().map(e -> {
        Map<String, List<String>> trailers = Trailers.read(repository, e.commitId(), KEYS);
        return new FleetCommit(e, first(trailers.get(Trailers.FLEET)), first(trailers.get(Trailers.WAVE)));
      }).toList();
      ImageDigest running = snapshot.deployed(tenant.name(), fleet.application()).digest();
      facts.put(tenant.name(), new TenantFacts(running, commits));
    }
    return facts;
  }

  private static String first(List<String> values) {
    return values == null || values.isEmpty() ? null : values.get(0);
  }
}
