package io.odoogitops.bench;

import io.odoogitops.ImageDigest;
import io.odoogitops.config.ConfigLoader;
import io.odoogitops.config.ReleaseConfig;
import io.odoogitops.fleet.Fleet;
import io.odoogitops.fleet.FleetPlan;
import io.odoogitops.fleet.FleetPlanner;
import io.odoogitops.policy.ReleasePolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * {@code bench/run fleet [TENANTS]}: {@code fleet plan} for a generated fleet (default 1,000 tenants) on six business
 * calendars in six zones with a year of holidays each, every tenant with a gate and its own period closes, invoicing
 * runs and weekly slots, planned from the first Wednesday of each month of a year. Each plan builds every tenant's freeze
 * schedule afresh, as one CLI run does; the first also runs on a cold JVM. Target: a plan under 1 s.
 */
final class FleetBenchmark {

  private static final List<String> ZONES = List.of("Europe/Brussels", "America/New_York", "Australia/Sydney",
      "Asia/Kolkata", "America/Sao_Paulo", "Europe/London");
  private static final ImageDigest DIGEST = new ImageDigest("sha256:" + "ab".repeat(32));

  private FleetBenchmark() {}

  static void main(String[] args) {
    int tenants = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    // CPU time of this thread besides the wall time: on a shared machine the wall time of the same run varies 3x with
    // the load, the thread's own CPU time much less, so before/after comparisons read it.
    ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    String yaml = yaml(tenants, new Random(42));
    String out = System.getenv("FLEET_BENCH_CONFIG");
    if (out != null && !out.isBlank()) {
      // The same file for timing a whole CLI run: odoo-gitops fleet plan --config FILE.
      try {
        Files.writeString(Path.of(out), yaml);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      System.out.println("configuration written to " + out);
    }
    long t0 = System.nanoTime();
    long c0 = cpu.getCurrentThreadCpuTime();
    ReleaseConfig config = ConfigLoader.load(yaml.getBytes(StandardCharsets.UTF_8), "odoo-gitops.yaml");
    long loaded = System.nanoTime();
    System.out.printf("fleet of %d tenants: %d bytes of configuration, loaded and validated in %d ms (cpu %d ms)%n",
        tenants, yaml.length(), (loaded - t0) / 1_000_000, (cpu.getCurrentThreadCpuTime() - c0) / 1_000_000);

    List<Long> warm = new ArrayList<>();
    List<Long> warmCpu = new ArrayList<>();
    long cold = -1;
    long coldCpu = -1;
    String finish = "";
    for (int month = 0; month < 12; month++) {
      // A fresh policy per plan: each plan pays for building every tenant's freeze schedule, as one CLI run does.
      ReleasePolicy policy = ReleasePolicy.of(config);
      Fleet fleet = Fleet.of(config, "saas");
      // The first Wednesday of the month at noon UTC: working hours in Europe and the Americas, night in Asia and
      // Australia, so that open tenants (whose gates look ahead for the next freeze) and frozen ones both count.
      LocalDate first = LocalDate.of(2027, 1 + month, 1);
      Instant at = first.with(java.time.temporal.TemporalAdjusters.firstInMonth(java.time.DayOfWeek.WEDNESDAY))
          .atTime(12, 0).atZone(ZoneId.of("UTC")).toInstant();
      long start = System.nanoTime();
      long startCpu = cpu.getCurrentThreadCpuTime();
      FleetPlan plan = FleetPlanner.plan(fleet, policy, DIGEST, at, ZoneId.of("Europe/Brussels"),
          FleetPlanner.Known.configuration(Set.of(), null));
      long took = System.nanoTime() - start;
      long tookCpu = cpu.getCurrentThreadCpuTime() - startCpu;
      if (cold < 0) {
        cold = took;
        coldCpu = tookCpu;
      } else {
        warm.add(took);
        warmCpu.add(tookCpu);
      }
      long frozen = plan.waves().stream().flatMap(w -> w.tenants().stream()).filter(t -> t.state().equals("frozen"))
          .count();
      finish = plan.finish() == null ? "none" : Duration.between(at, plan.finish().toInstant()).toHours() + " h";
      System.out.printf("  plan from %s: %5d ms (cpu %4d ms), %4d tenants frozen at the start, finish after %s%n",
          at.atZone(ZoneId.of("Europe/Brussels")).toLocalDate(), took / 1_000_000, tookCpu / 1_000_000, frozen,
          finish);
    }
    Collections.sort(warm);
    Collections.sort(warmCpu);
    System.out.printf("fleet plan, %d tenants: first %d ms, median %d ms, max %d ms (target: under 1000 ms)%n",
        tenants, cold / 1_000_000, warm.get(warm.size() / 2) / 1_000_000, warm.get(warm.size() - 1) / 1_000_000);
    System.out.printf("  cpu time of the planning thread: first %d ms, median %d ms, max %d ms%n",
        coldCpu / 1_000_000, warmCpu.get(warmCpu.size() / 2) / 1_000_000,
        warmCpu.get(warmCpu.size() - 1) / 1_000_000);
  }

  /** The configuration: calendars with a year of holidays, tenants with labels and freezes, four waves. */
  static String yaml(int tenants, Random random) {
    StringBuilder y = new StringBuilder("timeZone: Europe/Brussels\napplications:\n"
        + "  odoo: { image: registry.example.com/acme/odoo }\ngroups:\n  release-managers: [carol, dave]\n"
        + "calendars:\n");
    for (int c = 0; c < ZONES.size(); c++) {
      y.append("  cal").append(c).append(":\n    timeZone: ").append(ZONES.get(c)).append("\n    holidays: [");
      LocalDate day = LocalDate.of(2027, 1, 1);
      for (int h = 0; h < 14; h++) {
        day = day.plusDays(5 + random.nextInt(40));
        y.append(h == 0 ? "" : ", ").append(day);
      }
      y.append("]\n    annualHolidays: [01-01, 12-25]\n");
    }
    y.append("environments:\n");
    String[] tiers = {"gold", "silver", "bronze"};
    for (int i = 0; i < tenants; i++) {
      int c = random.nextInt(ZONES.size());
      String name = String.format("tenant-%04d", i);
      y.append("  ").append(name).append(":\n    path: envs/").append(name).append("\n    layout: kustomize\n")
          .append("    labels: { tier: ").append(i < 5 ? "canary" : tiers[random.nextInt(tiers.length)])
          .append(" }\n    gate: { approvals: 1, approvers: [group:release-managers]")
          .append(i % 4 == 0 ? ", dryRun: PASS" : "").append(" }\n    freeze:\n")
          .append("      - monthEndClose: { businessDaysBefore: ").append(1 + random.nextInt(3))
          .append(", businessDaysAfter: ").append(random.nextInt(3)).append(", calendar: cal").append(c)
          .append(" }\n")
          .append("      - yearEndClose: { businessDaysBefore: 5, businessDaysAfter: 3, calendar: cal").append(c)
          .append(" }\n");
      if (random.nextBoolean()) {
        y.append("      - invoicingRun: { days: [").append(1 + random.nextInt(28)).append("], calendar: cal")
            .append(c).append(" }\n");
      }
      if (random.nextInt(3) > 0) {
        y.append("      - allowOnly: { days: [TUE, WED, THU], from: \"07:00\", to: \"17:00\", calendar: cal")
            .append(c).append(" }\n");
      }
    }
    y.append("fleets:\n  saas:\n    tenantTime: 15m\n    waves:\n")
        .append("      - { name: canary, canary: true, selector: { matchLabels: { tier: canary } }, soak: 4h }\n");
    for (String tier : tiers) {
      y.append("      - { name: ").append(tier).append(", selector: { matchLabels: { tier: ").append(tier)
          .append(" } }, maxParallel: 20, soak: 12h }\n");
    }
    return y.toString();
  }
}
