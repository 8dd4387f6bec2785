package io.odoogitops.policy;

import io.odoogitops.ReleaseException;
import io.odoogitops.config.CalendarSpec;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.MonthDay;
import java.time.ZoneId;
import java.util.Set;

/**
 * Which days are business days, and in which zone a day starts. Billing presets count business days with it.
 *
 * @param name the key under {@code calendars:}, or {@code default}
 */
public record BusinessCalendar(String name, ZoneId zone, Set<DayOfWeek> weekends, Set<LocalDate> holidays,
    Set<MonthDay> annualHolidays) {

  /** A year and a bit: a calendar without a business day in that span is broken, not merely busy. */
  private static final int MAX_SEARCH_DAYS = 400;

  public BusinessCalendar {
    weekends = Set.copyOf(weekends);
    holidays = Set.copyOf(holidays);
    annualHolidays = Set.copyOf(annualHolidays);
  }

  /** The calendar as written; {@code fileZone} applies when it names no zone. */
  public static BusinessCalendar of(String name, CalendarSpec spec, ZoneId fileZone) {
    ZoneId zone = spec.timeZone() == null ? fileZone : ZoneId.of(spec.timeZone());
    return new BusinessCalendar(name, zone, spec.weekendDays(), Set.copyOf(spec.holidays()),
        spec.annualHolidayDays());
  }

  public boolean isBusinessDay(LocalDate day) {
    return !weekends.contains(day.getDayOfWeek()) && !holidays.contains(day)
        && !annualHolidays.contains(MonthDay.from(day));
  }

  /** The {@code n}-th business day strictly before {@code day} ({@code n >= 1}). */
  public LocalDate businessDayBefore(LocalDate day, int n) {
    return step(day, n, -1);
  }

  /** The {@code n}-th business day strictly after {@code day} ({@code n >= 1}). */
  public LocalDate businessDayAfter(LocalDate day, int n) {
    return step(day, n, 1);
  }

  private LocalDate step(LocalDate day, int n, int direction) {
    LocalDate current = day;
    int found = 0;
    for (int i = 0; i < MAX_SEARCH_DAYS * Math.max(1, n); i++) {
      current = current.plusDays(direction);
      if (isBusinessDay(current) && ++found == n) {
        return current;
      }
    }
    throw ReleaseException.badInput("calendar '" + name + "' has fewer than " + n + " business days within "
        + MAX_SEARCH_DAYS + " days " + (direction < 0 ? "before " : "after ") + day
        + "; check its weekends and holidays");
  }
}
