package io.odoogitops.fleet;

import io.odoogitops.config.ConfigLoader;
import io.odoogitops.config.ReleaseConfig;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/**
 * A generated {@code odoo-gitops.yaml} with a fleet of tenants spread over three business calendars in three zones
 * whose DST changes fall on different dates (one in the southern hemisphere), each tenant with its own mix of freeze
 * windows: period closes, invoicing runs, weekly slots, weekly RRULE windows and one-off ranges.
 */
final class SimulatedFleet {

  static final List<String> ZONES = List.of("Europe/Brussels", "America/New_York", "Australia/Sydney");
  static final List<String> CALENDARS = List.of("be", "us", "au");
  static final List<String> TIERS = List.of("gold", "silver", "bronze");

  private SimulatedFleet() {}

  /** {@code tenants} tenants t000.. from {@code seed}; waves: canary (t000, t001), then one wave per tier. */
  static String yaml(long seed, int tenants, int maxParallel, String soak) {
    return yaml(seed, tenants, maxParallel, soak, false);
  }

  /** As {@link #yaml(long, int, int, String)}; {@code clustered}: every tenant has a {@code cluster:} block. */
  static String yaml(long seed, int tenants, int maxParallel, String soak, boolean clustered) {
    Random random = new Random(seed);
    StringBuilder y = new StringBuilder("""
        timeZone: Europe/Brussels
        applications:
          odoo: { image: registry.example.com/acme/odoo }
        calendars:
          be:
            timeZone: Europe/Brussels
            holidays: [2026-12-25, 2027-01-01, 2027-04-05]
            annualHolidays: [05-01, 07-21]
          us: { timeZone: America/New_York, holidays: [2026-11-26, 2027-07-05], annualHolidays: [12-25, 07-04] }
          au: { timeZone: Australia/Sydney, weekends: [SAT, SUN], annualHolidays: [01-26, 12-25, 12-26] }
        environments:
        """);
    for (int i = 0; i < tenants; i++) {
      String calendar = CALENDARS.get(random.nextInt(CALENDARS.size()));
      String tier = i < 2 ? "canary" : TIERS.get(random.nextInt(TIERS.size()));
      y.append("  ").append(name(i)).append(":\n")
          .append("    path: envs/").append(name(i)).append('\n')
          .append("    layout: kustomize\n")
          .append("    labels: { tier: ").append(tier).append(", calendar: ").append(calendar).append(" }\n")
          .append(clustered ? "    cluster: { namespace: shop, workload: deployment/" + name(i)
              + ", argo: { application: " + name(i) + ", namespace: argocd } }\n" : "")
          .append("    freeze:\n");
      y.append("      - monthEndClose: { businessDaysBefore: ").append(1 + random.nextInt(3))
          .append(", businessDaysAfter: ").append(random.nextInt(3)).append(", calendar: ").append(calendar)
          .append(" }\n");
      if (random.nextBoolean()) {
        y.append("      - allowOnly: { days: [TUE, WED, THU], from: \"0").append(6 + random.nextInt(3))
            .append(":00\", to: \"").append(14 + random.nextInt(6)).append(":00\", calendar: ").append(calendar)
            .append(" }\n");
      }
      if (random.nextInt(3) == 0) {
        y.append("      - invoicingRun: { days: [").append(1 + random.nextInt(28)).append("], calendar: ")
            .append(calendar).append(" }\n");
      }
      if (random.nextInt(4) == 0) {
        y.append("      - rrule: \"FREQ=WEEKLY;BYDAY=FR;BYHOUR=18\"\n        duration: PT60H\n        timeZone: ")
            .append(ZONES.get(CALENDARS.indexOf(calendar))).append('\n');
      }
      if (random.nextInt(5) == 0) {
        int day = 1 + random.nextInt(300);
        y.append("      - { from: ").append(java.time.LocalDate.of(2026, 1, 1).plusDays(day)).append("T00:00, to: ")
            .append(java.time.LocalDate.of(2026, 1, 1).plusDays(day + 1 + random.nextInt(20)))
            .append("T08:00 }\n");
      }
    }
    y.append("fleets:\n  saas:\n    tenantTime: 20m\n    waves:\n")
        .append("      - { name: canary, canary: true, environments: [t000, t001], soak: ").append(soak).append(" }\n");
    for (String tier : TIERS) {
      y.append("      - { name: ").append(tier).append(", selector: { matchLabels: { tier: ").append(tier)
          .append(" } }, maxParallel: ").append(maxParallel).append(", soak: ").append(soak).append(" }\n");
    }
    return y.toString();
  }

  static ReleaseConfig config(long seed, int tenants, int maxParallel, String soak) {
    return config(yaml(seed, tenants, maxParallel, soak));
  }

  static ReleaseConfig config(String yaml) {
    return ConfigLoader.load(yaml.getBytes(StandardCharsets.UTF_8), "odoo-gitops.yaml");
  }

  static String name(int i) {
    return String.format("t%03d", i);
  }
}
