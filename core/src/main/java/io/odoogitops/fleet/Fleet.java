package io.odoogitops.fleet;

import io.odoogitops.config.CalendarSpec;
import io.odoogitops.config.EnvironmentSpec;
import io.odoogitops.config.FleetSpec;
import io.odoogitops.config.FreezeSpec;
import io.odoogitops.config.GateSpec;
import io.odoogitops.config.ReleaseConfig;
import io.odoogitops.config.WaveSpec;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A fleet resolved against its configuration: waves with their tenants in promotion order, each tenant with the zone
 * its freeze windows are read in.
 *
 * @param tenantTime the estimate of one tenant's promotion and verification
 */
public record Fleet(String name, String application, Duration tenantTime, List<Wave> waves) {

  public Fleet {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(application, "application");
    Objects.requireNonNull(tenantTime, "tenantTime");
    waves = List.copyOf(waves);
  }

  /**
   * One wave.
   *
   * @param index 0-based position; the canary is 0
   * @param rules the gate rules required in this wave ({@link WaveSpec#RULES}); freeze windows always apply
   */
  public record Wave(int index, String name, boolean canary, List<Tenant> tenants, int maxParallel, Duration soak,
      Set<String> rules) {

    public Wave {
      tenants = List.copyOf(tenants);
      rules = Set.copyOf(rules);
      if (maxParallel < 1) {
        throw new IllegalArgumentException("maxParallel must be 1 or more");
      }
      if (soak.isNegative()) {
        throw new IllegalArgumentException("soak must not be negative");
      }
    }

    /** A copy with another soak and parallelism, for what-if estimates. */
    public Wave with(int newMaxParallel, Duration newSoak) {
      return new Wave(index, name, canary, tenants, newMaxParallel, newSoak, rules);
    }
  }

  /**
   * One tenant: an environment of the fleet.
   *
   * @param zone where people at the tenant read times: the zone of its first freeze window (the window's own, else
   *     its calendar's), else the file's
   * @param promoteFrom the environment the digest must run in first, or null
   * @param gate the tenant's gate, or null: without either, only freeze windows stand between it and a promotion
   */
  public record Tenant(String name, ZoneId zone, Map<String, String> labels, String promoteFrom, GateSpec gate) {

    public Tenant {
      labels = Map.copyOf(labels);
    }

    /** Whether a gate rule besides freeze windows can stop a promotion here. */
    public boolean gated() {
      return gate != null || promoteFrom != null;
    }
  }

  /** The fleet {@code name} of a loaded (validated) configuration; unknown names are bad input. */
  public static Fleet of(ReleaseConfig config, String name) {
    FleetSpec spec = config.fleet(name);
    List<EnvironmentSpec> candidates = spec.candidates(config);
    List<Wave> waves = new ArrayList<>();
    for (int i = 0; i < spec.waves().size(); i++) {
      WaveSpec wave = spec.waves().get(i);
      List<Tenant> tenants = wave.select(candidates).stream()
          .map(t -> tenant(config, config.environment(t))).toList();
      waves.add(new Wave(i, wave.displayName(i), wave.canary(), tenants, wave.maxParallel(), wave.soakDuration(),
          new LinkedHashSet<>(wave.gate())));
    }
    return new Fleet(spec.name(), spec.application(config), spec.tenantDuration(), waves);
  }

  static Tenant tenant(ReleaseConfig config, EnvironmentSpec env) {
    return new Tenant(env.name(), zone(config, env), env.labels(), env.promoteFrom(), env.gate());
  }

  private static ZoneId zone(ReleaseConfig config, EnvironmentSpec env) {
    for (FreezeSpec freeze : env.freeze()) {
      if (freeze.timeZone() != null) {
        return ZoneId.of(freeze.timeZone());
      }
      CalendarSpec calendar = freeze.calendar() == null ? null : config.calendars().get(freeze.calendar());
      if (calendar != null && calendar.timeZone() != null) {
        return ZoneId.of(calendar.timeZone());
      }
    }
    return ZoneId.of(config.timeZone());
  }

  /** Every tenant in wave order. */
  public List<Tenant> tenants() {
    return waves.stream().flatMap(w -> w.tenants().stream()).toList();
  }

  /** The wave {@code tenant} belongs to, or null if it is not a tenant of this fleet. */
  public Wave waveOf(String tenant) {
    return waves.stream().filter(w -> w.tenants().stream().anyMatch(t -> t.name().equals(tenant)))
        .findFirst().orElse(null);
  }

  /** A copy with every wave's soak and parallelism replaced, for what-if estimates and property tests. */
  public Fleet with(int maxParallel, Duration soak) {
    return new Fleet(name, application, tenantTime, waves.stream().map(w -> w.with(maxParallel, soak)).toList());
  }

  /** The tenants with a {@code cluster:} block in {@code config}: their promotions are verified in the cluster. */
  public Set<String> clustered(ReleaseConfig config) {
    Set<String> clustered = new LinkedHashSet<>();
    tenants().forEach(t -> {
      if (config.environment(t.name()).cluster() != null) {
        clustered.add(t.name());
      }
    });
    return clustered;
  }
}
