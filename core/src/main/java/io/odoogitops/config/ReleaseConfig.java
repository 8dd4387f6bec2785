package io.odoogitops.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.odoogitops.ReleaseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole of {@code odoo-gitops.yaml}: applications, environments with their release policy, shared calendars.
 * Immutable; obtain one from {@link ConfigLoader}.
 *
 * @param timeZone zone for freeze windows and calendars that name none (default UTC)
 * @param groups approver groups: group name to user ids, so {@code group:release-managers} resolves without Jenkins
 * @param allowedSigners the keys votes must be signed with; {@code null}: votes are unverified and the gate advisory
 * @param fleets groups of environments (tenants) one digest is rolled out to in waves
 */
public record ReleaseConfig(
    @JsonProperty("timeZone") String timeZone,
    @JsonProperty("calendars") Map<String, CalendarSpec> calendars,
    @JsonProperty("applications") Map<String, ApplicationSpec> applications,
    @JsonProperty("environments") Map<String, EnvironmentSpec> environments,
    @JsonProperty("groups") Map<String, List<String>> groups,
    @JsonProperty("allowedSigners") AllowedSignersSpec allowedSigners,
    @JsonProperty("fleets") Map<String, FleetSpec> fleets) {

  /** Name of the file at the root of the GitOps repository. */
  public static final String FILE_NAME = "odoo-gitops.yaml";
  /** Where signed votes live in the GitOps repository; no environment may live below it. */
  public static final String VOTES_DIRECTORY = "votes";

  public ReleaseConfig {
    timeZone = timeZone == null ? "UTC" : timeZone;
    calendars = calendars == null ? Map.of() : unmodifiable(calendars);
    applications = applications == null ? Map.of() : unmodifiable(applications);
    environments = environments == null ? Map.of() : unmodifiable(environments);
    groups = groups == null ? Map.of() : unmodifiableGroups(groups);
    fleets = fleets == null ? Map.of() : unmodifiable(fleets);
  }

  /** A configuration without fleets. */
  public ReleaseConfig(String timeZone, Map<String, CalendarSpec> calendars, Map<String, ApplicationSpec> applications,
      Map<String, EnvironmentSpec> environments, Map<String, List<String>> groups,
      AllowedSignersSpec allowedSigners) {
    this(timeZone, calendars, applications, environments, groups, allowedSigners, null);
  }

  /** A configuration without approver groups. */
  public ReleaseConfig(String timeZone, Map<String, CalendarSpec> calendars, Map<String, ApplicationSpec> applications,
      Map<String, EnvironmentSpec> environments) {
    this(timeZone, calendars, applications, environments, null, null, null);
  }

  /** A configuration without allowed signers: votes are not verified. */
  public ReleaseConfig(String timeZone, Map<String, CalendarSpec> calendars, Map<String, ApplicationSpec> applications,
      Map<String, EnvironmentSpec> environments, Map<String, List<String>> groups) {
    this(timeZone, calendars, applications, environments, groups, null, null);
  }

  /** Copies with each entry knowing its own key, which Jackson cannot do for map values. */
  ReleaseConfig withNames() {
    Map<String, ApplicationSpec> apps = new LinkedHashMap<>();
    applications.forEach((k, v) -> apps.put(k, v.named(k)));
    Map<String, EnvironmentSpec> envs = new LinkedHashMap<>();
    environments.forEach((k, v) -> envs.put(k, v.named(k)));
    Map<String, FleetSpec> named = new LinkedHashMap<>();
    fleets.forEach((k, v) -> named.put(k, v.named(k)));
    return new ReleaseConfig(timeZone, calendars, apps, envs, groups, allowedSigners, named);
  }

  public EnvironmentSpec environment(String name) {
    EnvironmentSpec env = environments.get(name);
    if (env == null) {
      throw ReleaseException.badInput("unknown environment '" + name + "': " + FILE_NAME + " defines "
          + String.join(", ", environments.keySet()) + "; pass one of them with --env");
    }
    return env;
  }

  /** The fleet named {@code name}; unknown names are bad input listing the defined ones. */
  public FleetSpec fleet(String name) {
    FleetSpec fleet = fleets.get(name);
    if (fleet == null) {
      throw ReleaseException.badInput("unknown fleet '" + name + "': " + FILE_NAME + (fleets.isEmpty()
          ? " defines no fleets; add a 'fleets:' section (see docs/fleet.md)"
          : " defines " + String.join(", ", fleets.keySet())) + "; pass one of them with --fleet");
    }
    return fleet;
  }

  public ApplicationSpec application(String name) {
    ApplicationSpec app = applications.get(name);
    if (app == null) {
      throw ReleaseException.badInput("unknown application '" + name + "': " + FILE_NAME + " defines "
          + String.join(", ", applications.keySet()) + "; pass one of them with --app");
    }
    return app;
  }

  private static Map<String, List<String>> unmodifiableGroups(Map<String, List<String>> groups) {
    Map<String, List<String>> copy = new LinkedHashMap<>();
    groups.forEach((name, members) -> copy.put(name, members == null ? List.of() : List.copyOf(members)));
    return java.util.Collections.unmodifiableMap(copy);
  }

  private static <V> Map<String, V> unmodifiable(Map<String, V> map) {
    // LinkedHashMap keeps the user's order, which is the order humans expect in listings.
    return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(map));
  }
}
