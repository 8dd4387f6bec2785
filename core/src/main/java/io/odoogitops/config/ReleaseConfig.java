package io.odoogitops.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.odoogitops.ReleaseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The whole of {@code odoo-gitops.yaml}: applications, environments with their release policy, shared calendars.
 * Immutable; obtain one from {@link ConfigLoader}.
 *
 * @param timeZone zone for freeze windows and calendars that name none (default UTC)
 */
public record ReleaseConfig(
    @JsonProperty("timeZone") String timeZone,
    @JsonProperty("calendars") Map<String, CalendarSpec> calendars,
    @JsonProperty("applications") Map<String, ApplicationSpec> applications,
    @JsonProperty("environments") Map<String, EnvironmentSpec> environments) {

  /** Name of the file at the root of the GitOps repository. */
  public static final String FILE_NAME = "odoo-gitops.yaml";

  public ReleaseConfig {
    timeZone = timeZone == null ? "UTC" : timeZone;
    calendars = calendars == null ? Map.of() : unmodifiable(calendars);
    applications = applications == null ? Map.of() : unmodifiable(applications);
    environments = environments == null ? Map.of() : unmodifiable(environments);
  }

  /** Copies with each entry knowing its own key, which Jackson cannot do for map values. */
  ReleaseConfig withNames() {
    Map<String, ApplicationSpec> apps = new LinkedHashMap<>();
    applications.forEach((k, v) -> apps.put(k, v.named(k)));
    Map<String, EnvironmentSpec> envs = new LinkedHashMap<>();
    environments.forEach((k, v) -> envs.put(k, v.named(k)));
    return new ReleaseConfig(timeZone, calendars, apps, envs);
  }

  public EnvironmentSpec environment(String name) {
    EnvironmentSpec env = environments.get(name);
    if (env == null) {
      throw ReleaseException.badInput("unknown environment '" + name + "': " + FILE_NAME + " defines "
          + String.join(", ", environments.keySet()) + "; pass one of them with --env");
    }
    return env;
  }

  public ApplicationSpec application(String name) {
    ApplicationSpec app = applications.get(name);
    if (app == null) {
      throw ReleaseException.badInput("unknown application '" + name + "': " + FILE_NAME + " defines "
          + String.join(", ", applications.keySet()) + "; pass one of them with --app");
    }
    return app;
  }

  private static <V> Map<String, V> unmodifiable(Map<String, V> map) {
    // LinkedHashMap keeps the user's order, which is the order humans expect in listings.
    return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(map));
  }
}
