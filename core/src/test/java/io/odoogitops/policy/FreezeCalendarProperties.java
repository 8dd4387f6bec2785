package io.odoogitops.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Calendar arithmetic against independent oracles, across zones with and without DST (including a southern-hemisphere
 * zone and one whose DST change skipped midnight), month lengths and leap years.
 */
class FreezeCalendarProperties {

  private static final List<String> ZONES = List.of("Europe/Brussels", "America/New_York", "Australia/Sydney",
      "America/Sao_Paulo", "Asia/Kolkata", "UTC");
  private static final Set<Action> ROLLBACK = Set.of(Action.ROLLBACK);

  @Provide
  Arbitrary<ZoneId> zones() {
    return Arbitraries.of(ZONES).map(ZoneId::of);
  }

  @Provide
  Arbitrary<BusinessCalendar> calendars() {
    Arbitrary<Set<LocalDate>> holidays = Arbitraries.integers().between(0, 365 * 41)
        .map(d -> LocalDate.of(2000, 1, 1).plusDays(d)).set().ofMaxSize(300);
    return Combinators.combine(zones(), holidays).as((zone, days) -> new BusinessCalendar("test", zone,
        EnumSet.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY), days, Set.of(MonthDay.of(12, 25), MonthDay.of(1, 1))));
  }

  @Provide
  Arbitrary<YearMonth> months() {
    return Arbitraries.integers().between(2000 * 12, 2040 * 12 + 11).map(m -> YearMonth.of(m / 12, m % 12 + 1));
  }

  @Property(tries = 300)
  void monthEndCloseFreezesExactlyTheCountedBusinessDays(@ForAll("calendars") BusinessCalendar calendar,
      @ForAll("months") YearMonth month, @ForAll @IntRange(min = 1, max = 8) int before,
      @ForAll @IntRange(min = 0, max = 8) int after) {
    PeriodCloseWindow close = new PeriodCloseWindow("close", PeriodCloseWindow.Period.MONTH, before, after,
        calendar, ROLLBACK);
    LocalDate monthEnd = month.atEndOfMonth();

    FreezeInterval interval = close.around(monthEnd);

    LocalDate first = interval.start().atZone(calendar.zone()).toLocalDate();
    LocalDate dayAfterLast = interval.end().atZone(calendar.zone()).toLocalDate();
    assertThat(interval.start()).isEqualTo(WallClock.start(first, calendar.zone()));
    assertThat(interval.end()).isEqualTo(WallClock.start(dayAfterLast, calendar.zone()));
    assertThat(calendar.isBusinessDay(first)).isTrue();
    assertThat(businessDays(calendar, first, monthEnd.plusDays(1))).isEqualTo(before);
    assertThat(businessDays(calendar, monthEnd.plusDays(1), dayAfterLast)).isEqualTo(after);
    if (after > 0) {
      assertThat(calendar.isBusinessDay(dayAfterLast.minusDays(1))).isTrue();
    } else {
      assertThat(dayAfterLast).isEqualTo(monthEnd.plusDays(1));
    }
    assertThat(interval.contains(WallClock.start(monthEnd, calendar.zone()))).isTrue();
  }

  @Property(tries = 300)
  void businessDayStepsCountBusinessDays(@ForAll("calendars") BusinessCalendar calendar,
      @ForAll("months") YearMonth month, @ForAll @IntRange(min = 1, max = 28) int day,
      @ForAll @IntRange(min = 1, max = 20) int n) {
    LocalDate start = month.atDay(Math.min(day, month.lengthOfMonth()));

    LocalDate after = calendar.businessDayAfter(start, n);
    LocalDate before = calendar.businessDayBefore(start, n);

    assertThat(calendar.isBusinessDay(after)).isTrue();
    assertThat(businessDays(calendar, start.plusDays(1), after.plusDays(1))).isEqualTo(n);
    assertThat(calendar.isBusinessDay(before)).isTrue();
    assertThat(businessDays(calendar, before, start)).isEqualTo(n);
  }

  @Property(tries = 200)
  void invoicingDaysAreClampedToTheMonth(@ForAll("months") YearMonth month,
      @ForAll @IntRange(min = 1, max = 31) int day) {
    InvoicingRunWindow run = new InvoicingRunWindow("run", List.of(day, -1), 0, 0,
        new BusinessCalendar("c", ZoneId.of("UTC"), Set.of(), Set.of(), Set.of()), ROLLBACK);

    List<LocalDate> days = run.runDays(month);

    assertThat(days).contains(month.atDay(Math.min(day, month.lengthOfMonth())), month.atEndOfMonth());
    assertThat(days).allSatisfy(d -> assertThat(YearMonth.from(d)).isEqualTo(month));
    if (month.isLeapYear() && month.getMonthValue() == 2 && day >= 29) {
      assertThat(days).contains(LocalDate.of(month.getYear(), 2, 29));
    }
  }

  @Property(tries = 200)
  void dailyRuleGivesOneWindowPerLocalDayAtItsWallClockTime(@ForAll("zones") ZoneId zone,
      @ForAll("months") YearMonth month, @ForAll @IntRange(min = 0, max = 23) int hour,
      @ForAll @IntRange(min = 1, max = 20) int hours) {
    RecurrenceWindow daily = new RecurrenceWindow("daily", "FREQ=DAILY;BYHOUR=" + hour, LocalDateTime.of(2000, 1, 1,
        0, 0), Duration.ofHours(hours), zone, ROLLBACK);
    LocalDate firstDay = month.atDay(1);
    Instant from = WallClock.start(firstDay, zone);
    Instant to = WallClock.start(month.plusMonths(1).atDay(1), zone);

    List<FreezeInterval> windows = daily.between(from, to);

    Set<LocalDate> startDays = new HashSet<>();
    for (FreezeInterval w : windows) {
      LocalDateTime expectedStart = w.start().atZone(zone).toLocalDate().atTime(hour, 0);
      // The start's local date can be the day after the occurrence only when it fell in a gap at midnight.
      LocalDateTime occurrence = WallClock.instant(expectedStart, zone).equals(w.start()) ? expectedStart
          : expectedStart.minusDays(1);
      assertThat(w.start()).isEqualTo(WallClock.instant(occurrence, zone));
      assertThat(w.end()).isEqualTo(WallClock.instant(occurrence.plusHours(hours), zone));
      assertThat(startDays.add(occurrence.toLocalDate())).as("one window per day").isTrue();
    }
    // Every day of the month has its window (those of the first/last day may start outside the range), except a day
    // whose whole window lies in a DST gap: from 02:00 to 03:00 on the spring-forward day freezes no instant at all.
    for (LocalDate d = firstDay; !d.isAfter(month.atEndOfMonth()); d = d.plusDays(1)) {
      Instant occurrence = WallClock.instant(d.atTime(hour, 0), zone);
      Instant end = WallClock.instant(d.atTime(hour, 0).plusHours(hours), zone);
      if (occurrence.isAfter(from) && occurrence.isBefore(to)) {
        if (occurrence.isBefore(end)) {
          assertThat(startDays).contains(d);
        } else {
          assertThat(startDays).as("a window inside a DST gap freezes nothing").doesNotContain(d);
        }
      }
    }
  }

  @Example
  void aDailyWindowWhollyInsideTheSpringForwardGapFreezesNothingThatDay() {
    ZoneId brussels = ZoneId.of("Europe/Brussels");
    RecurrenceWindow daily = new RecurrenceWindow("daily", "FREQ=DAILY;BYHOUR=2", LocalDateTime.of(2000, 1, 1, 0, 0),
        Duration.ofHours(1), brussels, ROLLBACK);

    List<FreezeInterval> windows = daily.between(WallClock.start(LocalDate.of(2000, 3, 25), brussels),
        WallClock.start(LocalDate.of(2000, 3, 28), brussels));

    // 2000-03-26 02:00-03:00 does not exist in Brussels; the days around it keep their hour.
    assertThat(windows).extracting(w -> w.start().atZone(brussels).toLocalDateTime())
        .containsExactly(LocalDateTime.of(2000, 3, 25, 2, 0), LocalDateTime.of(2000, 3, 27, 2, 0));
  }

  @Provide
  Arbitrary<Set<DayOfWeek>> weekdays() {
    return Arbitraries.of(DayOfWeek.class).set().ofMinSize(1).ofMaxSize(6);
  }

  @Property(tries = 400)
  void allowOnlyIsFrozenExactlyOutsideItsSlots(@ForAll("zones") ZoneId zone, @ForAll("weekdays") Set<DayOfWeek> days,
      @ForAll @IntRange(min = 4, max = 12) int fromHour, @ForAll @IntRange(min = 1, max = 10) int slotHours,
      @ForAll @IntRange(min = 0, max = 40 * 365 * 24) int hourOffset, @ForAll @IntRange(min = 0, max = 59) int minute) {
    LocalTime from = LocalTime.of(fromHour, 0);
    LocalTime to = from.plusHours(slotHours);
    AllowOnlyWindow window = new AllowOnlyWindow("office", days, from, to, zone, Optional.empty(),
        ROLLBACK);
    Instant at = Instant.parse("2000-01-01T00:00:00Z").plus(Duration.ofHours(hourOffset).plusMinutes(minute));
    LocalDateTime wall = at.atZone(zone).toLocalDateTime();
    boolean inSlot = days.contains(wall.getDayOfWeek()) && !wall.toLocalTime().isBefore(from)
        && wall.toLocalTime().isBefore(to);

    List<FreezeInterval> active = window.between(at, at.plusNanos(1));

    assertThat(active.isEmpty()).as("open at %s (%s)", wall, wall.getDayOfWeek()).isEqualTo(inSlot);
    active.forEach(gap -> assertThat(Duration.between(gap.start(), gap.end())).isLessThanOrEqualTo(
        Duration.ofDays(7)));
  }

  @Property(tries = 150)
  void statusNextOpenAndWindowsAgree(@ForAll("zones") ZoneId zone,
      @ForAll @IntRange(min = 0, max = 6 * 365 * 24) int hourOffset) {
    BusinessCalendar calendar = new BusinessCalendar("c", zone, EnumSet.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY),
        Set.of(), Set.of(MonthDay.of(12, 25)));
    FreezeSchedule schedule = new FreezeSchedule("production", List.of(
        new PeriodCloseWindow("close", PeriodCloseWindow.Period.MONTH, 3, 2, calendar, ROLLBACK),
        new RecurrenceWindow("mid-month", "FREQ=MONTHLY;BYMONTHDAY=14,15", LocalDateTime.of(2024, 1, 1, 0, 0),
            Duration.ofHours(24), zone, ROLLBACK),
        new AllowOnlyWindow("weekdays", EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), LocalTime.of(6, 0),
            LocalTime.of(18, 0), zone, Optional.empty(), ROLLBACK)));
    Instant at = Instant.parse("2024-01-01T00:00:00Z").plus(Duration.ofHours(hourOffset));

    FreezeStatus status = schedule.status(at);
    Instant open = schedule.nextOpen(at, Action.PROMOTE).orElseThrow();

    Set<FreezeInterval> containing = new HashSet<>(schedule.windows(at.minus(Duration.ofDays(60)),
        at.plus(Duration.ofDays(60))).stream().filter(i -> i.contains(at)).toList());
    assertThat(new HashSet<>(status.active())).isEqualTo(containing);
    assertThat(open).isAfterOrEqualTo(at);
    assertThat(status.frozen()).isEqualTo(open.isAfter(at));
    assertThat(schedule.status(open).frozen()).isFalse();
    // Every moment until the opening is covered by some window: no gap was skipped.
    for (Instant t = at; t.isBefore(open); t = t.plus(Duration.ofMinutes(37))) {
      assertThat(schedule.status(t).frozen()).as("frozen at %s", t).isTrue();
    }
  }

  /** Business days in {@code [from, toExclusive)}, counted one day at a time. */
  private static int businessDays(BusinessCalendar calendar, LocalDate from, LocalDate toExclusive) {
    int count = 0;
    for (LocalDate d = from; d.isBefore(toExclusive); d = d.plusDays(1)) {
      if (calendar.isBusinessDay(d)) {
        count++;
      }
    }
    return count;
  }
}
