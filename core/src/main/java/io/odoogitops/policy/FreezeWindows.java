package io.odoogitops.policy;

import io.odoogitops.config.CalendarSpec;
import io.odoogitops.config.EnvironmentSpec;
import io.odoogitops.config.FreezeSpec;
import io.odoogitops.config.ReleaseConfig;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns the {@code freeze:} entries of an environment into {@link FreezeWindow}s. Expects a configuration that
 * {@link io.odoogitops.config.ConfigLoader} validated; zones resolve as: the entry's {@code timeZone}, else its
 * calendar's, else the file's.
 */
final class FreezeWindows {

  private FreezeWindows() {}

  static List<FreezeWindow> of(ReleaseConfig config, EnvironmentSpec env) {
    List<FreezeWindow> windows = new ArrayList<>();
    for (FreezeSpec spec : env.freeze()) {
      windows.add(window(config, env, spec));
    }
    return List.copyOf(windows);
  }

  private static FreezeWindow window(ReleaseConfig config, EnvironmentSpec env, FreezeSpec spec) {
    Set<Action> allowed = allowed(env, spec);
    BusinessCalendar calendar = calendar(config, spec);
    ZoneId zone = spec.timeZone() != null ? ZoneId.of(spec.timeZone()) : calendar.zone();
    if (spec.close() != null) {
      PeriodCloseWindow.Period period = spec.monthEndClose() != null ? PeriodCloseWindow.Period.MONTH
          : spec.quarterEndClose() != null ? PeriodCloseWindow.Period.QUARTER : PeriodCloseWindow.Period.YEAR;
      FreezeSpec.CloseSpec close = spec.close();
      String name = name(spec, period.name().toLowerCase(Locale.ROOT) + "-end close");
      BusinessCalendar zoned = withZone(calendar, zone);
      return new PeriodCloseWindow(name, period, close.businessDaysBefore(), close.businessDaysAfter(), zoned,
          allowed);
    }
    if (spec.invoicingRun() != null) {
      FreezeSpec.InvoicingRunSpec run = spec.invoicingRun();
      String name = name(spec, "invoicing run (days " + run.days().stream().map(String::valueOf)
          .collect(Collectors.joining(", ")) + ")");
      return new InvoicingRunWindow(name, run.days(), run.businessDaysBefore(), run.businessDaysAfter(),
          withZone(calendar, zone), allowed);
    }
    if (spec.rrule() != null) {
      return new RecurrenceWindow(name(spec, spec.rrule()), spec.rrule(),
          spec.start() != null ? spec.start() : FreezeSpec.DEFAULT_RRULE_START, spec.duration(), zone, allowed);
    }
    if (spec.allowOnly() != null) {
      FreezeSpec.AllowOnlySpec only = spec.allowOnly();
      String name = name(spec, "outside " + String.join(",", only.days()) + " " + only.from() + "-" + only.to());
      Optional<BusinessCalendar> holidays = only.calendar() == null ? Optional.empty()
          : Optional.of(calendar);
      return new AllowOnlyWindow(name, only.days().stream().map(CalendarSpec::weekday).collect(Collectors.toSet()),
          only.from(), only.to(), zone, holidays, allowed);
    }
    return new FixedWindow(name(spec, spec.from() + ".." + spec.to()), spec.from(), spec.to(), zone, allowed);
  }

  /** The window's own list, else the environment's override default, else rollback only. */
  private static Set<Action> allowed(EnvironmentSpec env, FreezeSpec spec) {
    List<String> names = spec.allow() != null ? spec.allow()
        : env.override() != null ? env.override().allow() : List.of(Action.ROLLBACK.yamlName());
    Set<Action> actions = EnumSet.noneOf(Action.class);
    names.forEach(n -> actions.add(Action.parse(n)));
    return actions;
  }

  private static BusinessCalendar calendar(ReleaseConfig config, FreezeSpec spec) {
    ZoneId fileZone = ZoneId.of(config.timeZone());
    String name = spec.calendar();
    if (name == null) {
      return BusinessCalendar.of("default", CalendarSpec.DEFAULT, fileZone);
    }
    return BusinessCalendar.of(name, config.calendars().get(name), fileZone);
  }

  /** A window's own zone wins over its calendar's: business days are counted, but days start in that zone. */
  private static BusinessCalendar withZone(BusinessCalendar calendar, ZoneId zone) {
    return new BusinessCalendar(calendar.name(), zone, calendar.weekends(), calendar.holidays(),
        calendar.annualHolidays());
  }

  private static String name(FreezeSpec spec, String fallback) {
    return spec.name() != null ? spec.name() : fallback;
  }
}
