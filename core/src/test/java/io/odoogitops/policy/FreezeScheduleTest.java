package io.odoogitops.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class FreezeScheduleTest {

  private static final ZoneId BRUSSELS = ZoneId.of("Europe/Brussels");
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

  private static Instant local(String dateTime, ZoneId zone) {
    return LocalDateTime.parse(dateTime).atZone(zone).toInstant();
  }

  private static LocalDateTime wall(Instant instant, ZoneId zone) {
    return instant.atZone(zone).toLocalDateTime();
  }

  @Nested
  class Recurrence {

    @Test
    void monthlyRunFreezesTheWholeLocalDay() {
      ReleasePolicy policy = TestConfigs.freezes("Europe/Brussels", "",
          "- { name: mid-month invoicing, rrule: \"FREQ=MONTHLY;BYMONTHDAY=15\", duration: PT24H }");

      List<FreezeInterval> windows = policy.windows("production", local("2026-10-01T00:00", BRUSSELS),
          local("2026-12-01T00:00", BRUSSELS));

      assertThat(windows).extracting(FreezeInterval::window).containsOnly("mid-month invoicing");
      assertThat(windows).extracting(i -> wall(i.start(), BRUSSELS)).containsExactly(
          LocalDateTime.parse("2026-10-15T00:00"), LocalDateTime.parse("2026-11-15T00:00"));
      assertThat(windows).extracting(i -> wall(i.end(), BRUSSELS)).containsExactly(
          LocalDateTime.parse("2026-10-16T00:00"), LocalDateTime.parse("2026-11-16T00:00"));
    }

    @Test
    void startInsideTheSpringForwardGapBeginsWhenTheGapEnds() {
      // 02:30 does not exist in Brussels on 2026-03-29; the 02:30-03:30 window shrinks to 03:00-03:30.
      ReleasePolicy policy = TestConfigs.freezes("Europe/Brussels", "",
          "- { rrule: \"FREQ=DAILY;BYHOUR=2;BYMINUTE=30\", duration: PT1H }");

      List<FreezeInterval> windows = policy.windows("production", Instant.parse("2026-03-29T00:00:00Z"),
          Instant.parse("2026-03-29T12:00:00Z"));

      assertThat(windows).singleElement().satisfies(i -> {
        assertThat(i.start()).isEqualTo(Instant.parse("2026-03-29T01:00:00Z"));
        assertThat(i.end()).isEqualTo(Instant.parse("2026-03-29T01:30:00Z"));
      });
    }

    @Test
    void windowOverTheRepeatedFallBackHourLastsAnHourLonger() {
      ReleasePolicy policy = TestConfigs.freezes("Europe/Brussels", "",
          "- { rrule: \"FREQ=DAILY;BYHOUR=2;BYMINUTE=30\", duration: PT1H }");

      List<FreezeInterval> windows = policy.windows("production", Instant.parse("2026-10-25T00:00:00Z"),
          Instant.parse("2026-10-25T12:00:00Z"));

      assertThat(windows).singleElement().satisfies(i -> {
        assertThat(i.start()).isEqualTo(Instant.parse("2026-10-25T00:30:00Z"));
        assertThat(Duration.between(i.start(), i.end())).isEqualTo(Duration.ofHours(2));
      });
    }

    @Test
    void dailyMidnightWindowsAre23Or25HoursLongOnDstDaysInNewYork() {
      ReleasePolicy policy = TestConfigs.freezes("America/New_York", "",
          "- { rrule: \"FREQ=WEEKLY;BYDAY=SU\", duration: PT24H }");

      List<FreezeInterval> march = policy.windows("production", local("2026-03-08T12:00", NEW_YORK),
          local("2026-03-08T13:00", NEW_YORK));
      List<FreezeInterval> november = policy.windows("production", local("2026-11-01T12:00", NEW_YORK),
          local("2026-11-01T13:00", NEW_YORK));

      assertThat(march).singleElement().satisfies(
          i -> assertThat(Duration.between(i.start(), i.end())).isEqualTo(Duration.ofHours(23)));
      assertThat(november).singleElement().satisfies(
          i -> assertThat(Duration.between(i.start(), i.end())).isEqualTo(Duration.ofHours(25)));
    }

    @Test
    void windowSpanningMidnightIsFoundFromTheNextMorning() {
      ReleasePolicy policy = TestConfigs.freezes("Europe/Brussels", "",
          "- { name: friday batch, rrule: \"FREQ=WEEKLY;BYDAY=FR;BYHOUR=22\", duration: PT10H }");

      FreezeStatus status = policy.status("production", local("2026-11-28T07:59", BRUSSELS));

      assertThat(status.frozen()).isTrue();
      assertThat(wall(status.active().get(0).start(), BRUSSELS)).isEqualTo(LocalDateTime.parse("2026-11-27T22:00"));
      assertThat(status.openAt().map(t -> wall(t, BRUSSELS))).contains(LocalDateTime.parse("2026-11-28T08:00"));
    }

    @Test
    void leapDayRuleOccursOnlyInLeapYears() {
      ReleasePolicy policy = TestConfigs.freezes("Europe/Brussels", "",
          "- { name: leap day, rrule: \"FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29\", duration: PT24H }");

      List<FreezeInterval> windows = policy.windows("production", local("2025-01-01T00:00", BRUSSELS),
          local("2033-01-01T00:00", BRUSSELS));

      assertThat(windows).extracting(i -> wall(i.start(), BRUSSELS).toLocalDate().toString())
          .containsExactly("2028-02-29", "2032-02-29");
    }

    @Test
    void the31stSkipsShorterMonthsAsRfc5545Says() {
      ReleasePolicy policy = TestConfigs.freezes("UTC", "",
          "- { rrule: \"FREQ=MONTHLY;BYMONTHDAY=31\", duration: PT24H }");

      List<FreezeInterval> windows = policy.windows("production", Instant.parse("2026-01-01T00:00:00Z"),
          Instant.parse("2026-06-01T00:00:00Z"));

      assertThat(windows).extracting(FreezeInterval::start).containsExactly(Instant.parse("2026-01-31T00:00:00Z"),
          Instant.parse("2026-03-31T00:00:00Z"), Instant.parse("2026-05-31T00:00:00Z"));
    }

    @Test
    void explicitStartAnchorsTheRuleAndItsTimeOfDay() {
      ReleasePolicy policy = TestConfigs.freezes("UTC", "",
          "- { rrule: \"FREQ=WEEKLY;INTERVAL=2\", start: 2026-01-07T18:00, duration: PT6H }");

      List<FreezeInterval> windows = policy.windows("production", Instant.parse("2026-01-01T00:00:00Z"),
          Instant.parse("2026-02-01T00:00:00Z"));

      assertThat(windows).extracting(FreezeInterval::start).containsExactly(
          Instant.parse("2026-01-07T18:00:00Z"), Instant.parse("2026-01-21T18:00:00Z"));
    }
  }

  @Nested
  class OneOffRanges {

    @Test
    void holidayFreezeAcrossTheYearEnd() {
      ReleasePolicy policy = TestConfigs.freezes("Europe/Brussels", "",
          "- { name: holidays, from: 2026-12-20T00:00, to: 2027-01-04T08:00 }");

      FreezeStatus status = policy.status("production", local("2027-01-01T00:00", BRUSSELS));

      assertThat(status.frozen()).isTrue();
      assertThat(status.openAt()).contains(Instant.parse("2027-01-04T07:00:00Z"));
      assertThat(policy.status("production", Instant.parse("2027-01-04T07:00:00Z")).frozen()).isFalse();
    }

    @Test
    void chainedWindowsOpenWhenTheLastOneEnds() {
      // The close ends Wed 6 Jan 00:00; the range starts before that and runs to Fri 8 Jan 12:00.
      ReleasePolicy policy = TestConfigs.freezes("Europe/Brussels", "be: { annualHolidays: [01-01] }", """
          - yearEndClose: { businessDaysBefore: 2, businessDaysAfter: 2, calendar: be }
          - { name: migration, from: 2027-01-05T18:00, to: 2027-01-08T12:00 }
          """);

      FreezeStatus status = policy.status("production", local("2026-12-31T10:00", BRUSSELS));

      assertThat(status.active()).extracting(FreezeInterval::window).containsExactly("year-end close");
      assertThat(status.openAt().map(t -> wall(t, BRUSSELS))).contains(LocalDateTime.parse("2027-01-08T12:00"));
    }

    @Test
    void aFreezeLongerThanTheHorizonHasNoOpenMoment() {
      ReleasePolicy policy = TestConfigs.freezes("UTC", "",
          "- { name: forever, from: 2026-01-01T00:00, to: 2030-01-01T00:00 }");

      assertThat(policy.nextOpen("production", Instant.parse("2026-06-01T00:00:00Z"))).isEmpty();
    }
  }

  @Nested
  class AllowOnly {

    private final ReleasePolicy policy = TestConfigs.freezes("Europe/Brussels",
        "be: { holidays: [2026-12-01] }", """
        - { name: office hours, allowOnly: { days: [TUE, WED, THU], from: "06:00", to: "16:00" } }
        """);

    @Test
    void openInsideASlotWithTheNextFreezeAnnounced() {
      FreezeStatus status = policy.status("production", local("2026-11-25T10:00", BRUSSELS));

      assertThat(status.frozen()).isFalse();
      assertThat(status.nextFreeze()).hasValueSatisfying(
          i -> assertThat(wall(i.start(), BRUSSELS)).isEqualTo(LocalDateTime.parse("2026-11-25T16:00")));
    }

    @Test
    void frozenFromThursdayAfternoonUntilTuesdayMorning() {
      FreezeStatus status = policy.status("production", local("2026-11-26T16:00", BRUSSELS));

      assertThat(status.frozen()).isTrue();
      assertThat(status.active().get(0).window()).isEqualTo("office hours");
      assertThat(status.openAt().map(t -> wall(t, BRUSSELS))).contains(LocalDateTime.parse("2026-12-01T06:00"));
    }

    @Test
    void aCalendarHolidayClosesItsSlot() {
      ReleasePolicy withHolidays = TestConfigs.freezes("Europe/Brussels", "be: { holidays: [2026-12-01] }", """
          - allowOnly: { days: [TUE, WED, THU], from: "06:00", to: "16:00", calendar: be }
          """);

      FreezeStatus status = withHolidays.status("production", local("2026-11-30T12:00", BRUSSELS));

      assertThat(status.openAt().map(t -> wall(t, BRUSSELS))).contains(LocalDateTime.parse("2026-12-02T06:00"));
    }

    @Test
    void slotsSpanningMidnight() {
      ReleasePolicy night = TestConfigs.freezes("UTC", "", """
          - allowOnly: { days: [MON, TUE, WED, THU, FRI, SAT, SUN], from: "22:00", to: "02:00" }
          """);

      assertThat(night.status("production", Instant.parse("2026-06-01T23:00:00Z")).frozen()).isFalse();
      assertThat(night.status("production", Instant.parse("2026-06-02T01:59:00Z")).frozen()).isFalse();
      FreezeStatus day = night.status("production", Instant.parse("2026-06-02T03:00:00Z"));
      assertThat(day.frozen()).isTrue();
      assertThat(day.active().get(0).start()).isEqualTo(Instant.parse("2026-06-02T02:00:00Z"));
      assertThat(day.openAt()).contains(Instant.parse("2026-06-02T22:00:00Z"));
    }
  }

  @Nested
  class AllowedActions {

    @Test
    void rollbackPassesAFreezeByDefaultPromotionDoesNot() {
      FreezeSchedule schedule = TestConfigs.freezes("UTC", "",
          "- { from: 2026-06-01T00:00, to: 2026-06-02T00:00 }").schedule("production");
      Instant at = Instant.parse("2026-06-01T12:00:00Z");

      FreezeStatus status = schedule.status(at);

      assertThat(status.blocks(Action.PROMOTE)).isTrue();
      assertThat(status.blocks(Action.ROLLBACK)).isFalse();
      assertThat(schedule.nextOpen(at, Action.ROLLBACK)).contains(at);
      assertThat(schedule.nextOpen(at, Action.PROMOTE)).contains(Instant.parse("2026-06-02T00:00:00Z"));
    }

    @Test
    void aWindowCanFreezeRollbacksToo() {
      FreezeStatus status = TestConfigs.freezes("UTC", "",
              "- { from: 2026-06-01T00:00, to: 2026-06-02T00:00, allow: [] }")
          .status("production", Instant.parse("2026-06-01T12:00:00Z"));

      assertThat(status.blocks(Action.ROLLBACK)).isTrue();
    }

    @Test
    void windowsInheritTheEnvironmentsOverrideAllowList() {
      ReleasePolicy policy = ReleasePolicy.of(TestConfigs.load("""
          environments:
            production:
              path: envs/production
              layout: kustomize
              freeze:
                - { from: 2026-06-01T00:00, to: 2026-06-02T00:00 }
              override: { approvals: 0, allow: [promote, rollback] }
          """));

      FreezeStatus status = policy.status("production", Instant.parse("2026-06-01T12:00:00Z"));

      assertThat(status.frozen()).isTrue();
      assertThat(status.blocks(Action.PROMOTE)).isFalse();
    }
  }

  @Test
  void windowsAreOrderedAndWhole() {
    ReleasePolicy policy = TestConfigs.freezes("UTC", "", """
        - { name: b, from: 2026-06-10T00:00, to: 2026-06-20T00:00 }
        - { name: a, from: 2026-06-01T00:00, to: 2026-06-15T00:00 }
        """);

    List<FreezeInterval> windows = policy.windows("production", Instant.parse("2026-06-12T00:00:00Z"),
        Instant.parse("2026-06-13T00:00:00Z"));

    assertThat(windows).extracting(FreezeInterval::window).containsExactly("a", "b");
    assertThat(windows.get(0).start()).isEqualTo(Instant.parse("2026-06-01T00:00:00Z"));
  }

  @Test
  void calendarDaysAreOpenPartlyFrozenOrFrozen() {
    ReleasePolicy policy = TestConfigs.freezes("UTC", "",
        "- { from: 2026-06-01T12:00, to: 2026-06-03T00:00 }");

    List<FreezeDay> days = policy.days("production", LocalDate.parse("2026-05-31"),
        LocalDate.parse("2026-06-03"), ZoneId.of("UTC"));

    assertThat(days).extracting(FreezeDay::coverage).containsExactly(FreezeDay.Coverage.OPEN,
        FreezeDay.Coverage.PARTLY_FROZEN, FreezeDay.Coverage.FROZEN, FreezeDay.Coverage.OPEN);
  }

  @Test
  void aShortDstDayFrozenFromMidnightToMidnightIsFrozenWhole() {
    ReleasePolicy policy = TestConfigs.freezes("Europe/Brussels", "",
        "- { name: sundays, rrule: \"FREQ=WEEKLY;BYDAY=SU\", duration: PT24H }");

    List<FreezeDay> days = policy.days("production", LocalDate.parse("2026-03-28"),
        LocalDate.parse("2026-03-30"), BRUSSELS);

    assertThat(days).extracting(FreezeDay::coverage).containsExactly(FreezeDay.Coverage.OPEN,
        FreezeDay.Coverage.FROZEN, FreezeDay.Coverage.OPEN);
    assertThat(days.get(1).windows()).containsExactly("sundays");
  }
}
