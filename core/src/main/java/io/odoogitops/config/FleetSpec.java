package io.odoogitops.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A fleet as written: environments (tenants) that receive the same digest of one application, in waves. Each tenant
 * stays a full environment with its own path, layout, freeze windows, calendar, gate and cluster.
 *
 * @param name the key under {@code fleets:}
 * @param application the application the fleet releases; default: the only application of the file
 * @param tenants the environments of the fleet; default: every environment, so that selectors pick among all
 * @param tenantTime how long promoting and verifying one tenant takes, for estimates: ISO-8601 or {@code 10m}
 *     (default 10 minutes)
 * @param waves the order of the rollout, canary first
 * @param autoRollback whether a tenant that fails its verification during {@code fleet promote} is rolled back in
 *     one step (default false: it keeps the digest, and the rollout halts either way)
 */
public record FleetSpec(
    @JsonIgnore String name,
    @JsonProperty("application") String application,
    @JsonProperty("tenants") List<String> tenants,
    @JsonProperty("tenantTime") String tenantTime,
    @JsonProperty("waves") List<WaveSpec> waves,
    @JsonProperty("autoRollback") Boolean autoRollback) {

  /** Estimate of one tenant's promotion and verification when the fleet names none. */
  public static final Duration DEFAULT_TENANT_TIME = Duration.ofMinutes(10);

  public FleetSpec {
    tenants = tenants == null ? null : List.copyOf(tenants);
    waves = waves == null ? List.of() : List.copyOf(waves);
  }

  FleetSpec named(String key) {
    return new FleetSpec(key, application, tenants, tenantTime, waves, autoRollback);
  }

  /** Whether a failed verification rolls the tenant back; false unless the fleet says {@code autoRollback: true}. */
  public boolean rollsBack() {
    return Boolean.TRUE.equals(autoRollback);
  }

  /** The application released; expects a validated configuration. */
  public String application(ReleaseConfig config) {
    return application != null ? application : config.applications().keySet().iterator().next();
  }

  /** The tenant time as a duration; expects a validated fleet. */
  public Duration tenantDuration() {
    return tenantTime == null ? DEFAULT_TENANT_TIME : HumanDuration.parse(tenantTime);
  }

  /** The environments waves select from, in the fleet's order (its tenants list, else the file's). */
  public List<EnvironmentSpec> candidates(ReleaseConfig config) {
    List<EnvironmentSpec> out = new ArrayList<>();
    if (tenants == null) {
      out.addAll(config.environments().values());
    } else {
      tenants.stream().map(config.environments()::get).filter(e -> e != null).forEach(out::add);
    }
    return out;
  }
}
