package io.odoogitops.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.LocalDate;
import java.util.List;

/**
 * A business calendar: which days count as business days.
 *
 * @param timeZone the calendar's zone; defaults to the file's {@code timeZone}
 * @param weekends non-business weekdays, e.g. {@code [SAT, SUN]} (default)
 * @param holidays non-business dates
 */
public record CalendarSpec(
    @JsonProperty("timeZone") String timeZone,
    @JsonProperty("weekends") List<String> weekends,
    @JsonProperty("holidays") List<LocalDate> holidays) {

  public CalendarSpec {
    weekends = weekends == null ? List.of("SAT", "SUN") : List.copyOf(weekends);
    holidays = holidays == null ? List.of() : List.copyOf(holidays);
  }
}
