package io.odoogitops.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;

/**
 * One freeze window as written. Exactly one kind is set per entry:
 * <ul>
 *   <li>a billing-cycle preset: {@code monthEndClose}, {@code quarterEndClose}, {@code yearEndClose},
 *       {@code invoicingRun};</li>
 *   <li>an RFC 5545 {@code rrule} with a {@code duration} (and optionally the {@code start} it counts from);</li>
 *   <li>a one-off {@code from}/{@code to} range;</li>
 *   <li>an {@code allowOnly} window: frozen at every moment outside the listed weekly slots.</li>
 * </ul>
 * The {@code policy} package evaluates it; {@link PolicySpecValidator} checks it.
 *
 * @param name shown in status output and trailers; defaults to a description of the window
 * @param rrule RFC 5545 recurrence rule (without {@code DTSTART}); occurrences are local times in the window's zone
 * @param start the local date-time the rule counts from (its DTSTART); default {@link #DEFAULT_RRULE_START}
 * @param duration how long each occurrence lasts, in wall-clock time (a PT24H window starting at midnight ends at the
 *     next midnight, also on a DST change day)
 * @param from first local date-time of a one-off range (inclusive)
 * @param to end of a one-off range (exclusive)
 * @param timeZone zone of this window; default: its calendar's zone, else the file's {@code timeZone}
 * @param allow actions still allowed inside this window; {@code null} inherits the environment's
 *     {@code override.allow} (default: rollback)
 */
public record FreezeSpec(
    @JsonProperty("name") String name,
    @JsonProperty("monthEndClose") CloseSpec monthEndClose,
    @JsonProperty("quarterEndClose") CloseSpec quarterEndClose,
    @JsonProperty("yearEndClose") CloseSpec yearEndClose,
    @JsonProperty("invoicingRun") InvoicingRunSpec invoicingRun,
    @JsonProperty("rrule") String rrule,
    @JsonProperty("start") LocalDateTime start,
    @JsonProperty("duration") Duration duration,
    @JsonProperty("from") LocalDateTime from,
    @JsonProperty("to") LocalDateTime to,
    @JsonProperty("allowOnly") AllowOnlySpec allowOnly,
    @JsonProperty("timeZone") String timeZone,
    @JsonProperty("allow") List<String> allow) {

  /**
   * DTSTART of rules that name no {@code start}: a Monday at midnight, so that {@code FREQ=WEEKLY} without
   * {@code BYDAY} means Mondays and rules without {@code BYHOUR} start at 00:00.
   */
  public static final LocalDateTime DEFAULT_RRULE_START = LocalDateTime.of(2024, 1, 1, 0, 0);

  public FreezeSpec {
    allow = allow == null ? null : List.copyOf(allow);
  }

  /** The kinds set on this entry, by their YAML key; a valid entry has exactly one. */
  public List<String> kinds() {
    List<String> kinds = new ArrayList<>();
    if (monthEndClose != null) {
      kinds.add("monthEndClose");
    }
    if (quarterEndClose != null) {
      kinds.add("quarterEndClose");
    }
    if (yearEndClose != null) {
      kinds.add("yearEndClose");
    }
    if (invoicingRun != null) {
      kinds.add("invoicingRun");
    }
    if (rrule != null) {
      kinds.add("rrule");
    }
    if (from != null || to != null) {
      kinds.add("from/to");
    }
    if (allowOnly != null) {
      kinds.add("allowOnly");
    }
    return kinds;
  }

  /** The close preset of this entry, whichever period it closes, or {@code null}. */
  public CloseSpec close() {
    if (monthEndClose != null) {
      return monthEndClose;
    }
    return quarterEndClose != null ? quarterEndClose : yearEndClose;
  }

  /** The calendar this entry names, whichever kind it is, or {@code null}. */
  public String calendar() {
    if (close() != null) {
      return close().calendar();
    }
    if (invoicingRun != null) {
      return invoicingRun.calendar();
    }
    return allowOnly != null ? allowOnly.calendar() : null;
  }

  /**
   * Period close: frozen from the start of the last {@code businessDaysBefore} business days of the period through
   * the end of the first {@code businessDaysAfter} business days of the next one, weekends and holidays in between
   * included.
   */
  public record CloseSpec(
      @JsonProperty("businessDaysBefore") Integer businessDaysBefore,
      @JsonProperty("businessDaysAfter") Integer businessDaysAfter,
      @JsonProperty("calendar") String calendar) {

    public CloseSpec {
      businessDaysBefore = businessDaysBefore == null ? 0 : businessDaysBefore;
      businessDaysAfter = businessDaysAfter == null ? 0 : businessDaysAfter;
    }
  }

  /**
   * Invoicing-run days: each listed day of month (1..31, clamped to the month's length; -1 is the last day) is frozen
   * whole, widened by {@code businessDaysBefore} business days before and {@code businessDaysAfter} after it.
   */
  public record InvoicingRunSpec(
      @JsonProperty("days") List<Integer> days,
      @JsonProperty("businessDaysBefore") Integer businessDaysBefore,
      @JsonProperty("businessDaysAfter") Integer businessDaysAfter,
      @JsonProperty("calendar") String calendar) {

    public InvoicingRunSpec {
      days = days == null ? List.of() : List.copyOf(days);
      businessDaysBefore = businessDaysBefore == null ? 0 : businessDaysBefore;
      businessDaysAfter = businessDaysAfter == null ? 0 : businessDaysAfter;
    }
  }

  /**
   * Deploy only inside these weekly slots, e.g. Tue-Thu 06:00-16:00; every other moment is frozen. A slot whose
   * {@code to} is not after {@code from} ends the next day (22:00-02:00). With a {@code calendar}, its weekends and
   * holidays are closed too.
   */
  public record AllowOnlySpec(
      @JsonProperty("days") List<String> days,
      @JsonProperty("from") LocalTime from,
      @JsonProperty("to") LocalTime to,
      @JsonProperty("calendar") String calendar) {

    public AllowOnlySpec {
      days = days == null ? List.of("MON", "TUE", "WED", "THU", "FRI") : List.copyOf(days);
      from = from == null ? LocalTime.MIDNIGHT : from;
      to = to == null ? LocalTime.MIDNIGHT : to;
    }
  }
}
