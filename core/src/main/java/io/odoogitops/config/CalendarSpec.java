package io.odoogitops.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.MonthDay;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A business calendar: which days count as business days.
 *
 * @param timeZone the calendar's zone; defaults to the file's {@code timeZone}
 * @param weekends non-business weekdays, e.g. {@code [SAT, SUN]} (default)
 * @param holidays non-business dates
 * @param annualHolidays non-business days every year, as {@code MM-DD} (e.g. {@code 12-25})
 */
public record CalendarSpec(
    @JsonProperty("timeZone") String timeZone,
    @JsonProperty("weekends") List<String> weekends,
    @JsonProperty("holidays") List<LocalDate> holidays,
    @JsonProperty("annualHolidays") List<String> annualHolidays) {

  /** The calendar of environments that name none: Saturdays and Sundays off, no holidays, the file's zone. */
  public static final CalendarSpec DEFAULT = new CalendarSpec(null, null, null, null);

  public CalendarSpec {
    weekends = weekends == null ? List.of("SAT", "SUN") : List.copyOf(weekends);
    holidays = holidays == null ? List.of() : List.copyOf(holidays);
    annualHolidays = annualHolidays == null ? List.of() : List.copyOf(annualHolidays);
  }

  /** The weekends as days; throws {@link IllegalArgumentException} naming the bad entry. */
  public Set<DayOfWeek> weekendDays() {
    Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
    weekends.forEach(w -> days.add(weekday(w)));
    return days;
  }

  /** The annual holidays as month-days; throws {@link IllegalArgumentException} naming the bad entry. */
  public Set<MonthDay> annualHolidayDays() {
    Set<MonthDay> days = new LinkedHashSet<>();
    for (String text : annualHolidays) {
      try {
        days.add(MonthDay.parse("--" + text));
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("'" + text + "' is not a month-day; write MM-DD, e.g. 12-25");
      }
    }
    return days;
  }

  /** Parses {@code MON}, {@code Monday} or {@code MONDAY} (any case). */
  public static DayOfWeek weekday(String text) {
    String t = text == null ? "" : text.trim().toUpperCase(Locale.ROOT);
    for (DayOfWeek day : DayOfWeek.values()) {
      if (t.length() >= 3 && day.name().startsWith(t) && (t.length() == 3 || t.equals(day.name()))) {
        return day;
      }
    }
    throw new IllegalArgumentException("'" + text + "' is not a weekday; use MON, TUE, WED, THU, FRI, SAT or SUN");
  }
}
