package io.odoogitops.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Billing presets against answers worked out by hand on a paper calendar (weekdays noted per case). Each row asks for
 * the freeze interval containing a probe day and checks its exact local start and end.
 */
class BillingScenariosTest {

  private static final String BE = """
      be:
        timeZone: Europe/Brussels
        weekends: [SAT, SUN]
        holidays: [2026-05-25, 2026-05-29]
        annualHolidays: [12-25, 01-01]
      """;
  private static final String US = """
      us:
        timeZone: America/New_York
        weekends: [SAT, SUN]
        holidays: [2026-11-26]
      """;

  static Stream<Arguments> scenarios() {
    return Stream.of(
        // May 2026 ends on Sunday 31; Fri 29 and Mon 25 are holidays: the last 3 business days are Tue 26 - Thu 28.
        // The first 2 business days of June are Mon 1 and Tue 2, so the close ends at Wed 3 00:00.
        Arguments.of("month end on a Sunday, with holidays", "Europe/Brussels", BE,
            "- monthEndClose: { businessDaysBefore: 3, businessDaysAfter: 2, calendar: be }",
            "2026-05-30T12:00", "2026-05-26T00:00", "2026-06-03T00:00"),
        // Same rule, a month ending on a Monday (Nov 30 2026): Thu 26, Fri 27, Mon 30; then Tue 1, Wed 2 Dec.
        Arguments.of("month end on a Monday", "Europe/Brussels", BE,
            "- monthEndClose: { businessDaysBefore: 3, businessDaysAfter: 2, calendar: be }",
            "2026-11-30T09:00", "2026-11-26T00:00", "2026-12-03T00:00"),
        // Leap February 2028 ends on Tue 29: Fri 25, Mon 28, Tue 29; then Wed 1 March.
        Arguments.of("leap-year February", "Europe/Brussels", BE,
            "- monthEndClose: { businessDaysBefore: 3, businessDaysAfter: 1, calendar: be }",
            "2028-02-29T23:59", "2028-02-25T00:00", "2028-03-02T00:00"),
        // February 2027 ends on Sunday 28: Wed 24, Thu 25, Fri 26; then Mon 1 March.
        Arguments.of("non-leap February ending on a Sunday", "Europe/Brussels", BE,
            "- monthEndClose: { businessDaysBefore: 3, businessDaysAfter: 1, calendar: be }",
            "2027-02-27T10:00", "2027-02-24T00:00", "2027-03-02T00:00"),
        // Year end 2026: Wed 30, Thu 31; Jan 1 (holiday), 2-3 (weekend), then Mon 4 and Tue 5.
        Arguments.of("year-end close across the new year", "Europe/Brussels", BE,
            "- yearEndClose: { businessDaysBefore: 2, businessDaysAfter: 2, calendar: be }",
            "2027-01-01T12:00", "2026-12-30T00:00", "2027-01-06T00:00"),
        // Q1 2026 ends Tue 31 March, two days after the spring DST change: Wed 25 .. Tue 31 are the last 5.
        Arguments.of("quarter end after a DST change", "Europe/Brussels", BE,
            "- quarterEndClose: { businessDaysBefore: 5, calendar: be }",
            "2026-03-29T02:30", "2026-03-25T00:00", "2026-04-01T00:00"),
        // Invoicing on the 31st: February 2026 has 28 days (a Saturday); one business day either side: Fri 27, Mon 2.
        Arguments.of("invoicing day 31 in February", "Europe/Brussels", BE,
            "- invoicingRun: { days: [31], businessDaysBefore: 1, businessDaysAfter: 1, calendar: be }",
            "2026-02-28T08:00", "2026-02-27T00:00", "2026-03-03T00:00"),
        // Invoicing on the last day (-1) of December 2026 (Thu 31): after it Fri 1 is a holiday, so Mon 4.
        Arguments.of("invoicing on the last day, before a holiday", "Europe/Brussels", BE,
            "- invoicingRun: { days: [-1], businessDaysAfter: 1, calendar: be }",
            "2027-01-02T08:00", "2026-12-31T00:00", "2027-01-05T00:00"),
        // New York: October 2026 ends Sat 31, DST ends Sun 1 Nov: Fri 30 Oct through Mon 2 Nov.
        Arguments.of("month end across the US fall-back", "America/New_York", US,
            "- monthEndClose: { businessDaysBefore: 1, businessDaysAfter: 1, calendar: us }",
            "2026-11-01T01:30", "2026-10-30T00:00", "2026-11-03T00:00"),
        // New York November 2026 ends Mon 30; Thanksgiving Thu 26 is a holiday: Fri 27, Mon 30.
        Arguments.of("month end after Thanksgiving", "America/New_York", US,
            "- monthEndClose: { businessDaysBefore: 2, calendar: us }",
            "2026-11-28T12:00", "2026-11-27T00:00", "2026-12-01T00:00"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void freezesExactlyTheExpectedDays(String scenario, String zone, String calendars, String freeze, String probe,
      String expectedStart, String expectedEnd) {
    ReleasePolicy policy = TestConfigs.freezes(zone, calendars, freeze);
    ZoneId z = ZoneId.of(zone);
    Instant at = WallClock.instant(LocalDateTime.parse(probe), z);

    FreezeStatus status = policy.status("production", at);

    assertThat(status.frozen()).as("frozen at %s", probe).isTrue();
    List<FreezeInterval> active = status.active();
    assertThat(active).hasSize(1);
    assertThat(active.get(0).start().atZone(z).toLocalDateTime()).isEqualTo(LocalDateTime.parse(expectedStart));
    assertThat(active.get(0).end().atZone(z).toLocalDateTime()).isEqualTo(LocalDateTime.parse(expectedEnd));
    assertThat(status.openAt()).contains(active.get(0).end());
    // One moment before the start and at the end, the environment is open again.
    assertThat(policy.status("production", active.get(0).start().minusSeconds(1)).frozen()).isFalse();
    assertThat(policy.status("production", active.get(0).end()).frozen()).isFalse();
  }
}
