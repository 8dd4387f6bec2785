package io.odoogitops.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;

/**
 * One freeze window as written. Exactly one kind is set per entry: a billing-cycle preset ({@code monthEndClose},
 * {@code quarterEndClose}, {@code yearEndClose}, {@code invoicingRun}), an RFC 5545 {@code rrule} with a
 * {@code duration}, or a one-off {@code from}/{@code to} range. The {@code policy} package evaluates it.
 *
 * @param name shown in status output and trailers; defaults to a description of the window
 * @param allow actions still allowed inside this window (default: rollback)
 */
public record FreezeSpec(
    @JsonProperty("name") String name,
    @JsonProperty("monthEndClose") CloseSpec monthEndClose,
    @JsonProperty("quarterEndClose") CloseSpec quarterEndClose,
    @JsonProperty("yearEndClose") CloseSpec yearEndClose,
    @JsonProperty("invoicingRun") InvoicingRunSpec invoicingRun,
    @JsonProperty("rrule") String rrule,
    @JsonProperty("duration") Duration duration,
    @JsonProperty("from") LocalDateTime from,
    @JsonProperty("to") LocalDateTime to,
    @JsonProperty("timeZone") String timeZone,
    @JsonProperty("allow") List<String> allow) {

  public FreezeSpec {
    allow = allow == null ? List.of("rollback") : List.copyOf(allow);
  }

  /** N business days before the period end through M business days after it. */
  public record CloseSpec(
      @JsonProperty("businessDaysBefore") Integer businessDaysBefore,
      @JsonProperty("businessDaysAfter") Integer businessDaysAfter,
      @JsonProperty("calendar") String calendar) {}

  /** Invoicing-run days: the listed days of month, widened by business days on each side. */
  public record InvoicingRunSpec(
      @JsonProperty("days") List<Integer> days,
      @JsonProperty("businessDaysBefore") Integer businessDaysBefore,
      @JsonProperty("businessDaysAfter") Integer businessDaysAfter,
      @JsonProperty("calendar") String calendar) {}
}
