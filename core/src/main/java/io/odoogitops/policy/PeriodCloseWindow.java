package io.odoogitops.policy;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Month-, quarter- or year-end close: from the start of the last {@code before} business days of the period through
 * the end of the first {@code after} business days of the next period, with the weekends and holidays in between.
 * Days start at midnight in the calendar's zone.
 */
record PeriodCloseWindow(String name, Period period, int before, int after, BusinessCalendar calendar,
    Set<Action> allowed) implements FreezeWindow {

  /** The accounting periods a close can follow. */
  enum Period {
    MONTH(1), QUARTER(3), YEAR(12);

    private final int months;

    Period(int months) {
      this.months = months;
    }

    boolean endsIn(YearMonth month) {
      return month.getMonthValue() % months == 0;
    }
  }

  /** Business days cannot stretch a close further than this many months from its period end. */
  private static final int REACH_MONTHS = 3;

  @Override
  public List<FreezeInterval> between(Instant from, Instant to) {
    YearMonth first = YearMonth.from(from.atZone(calendar.zone())).minusMonths(REACH_MONTHS);
    YearMonth last = YearMonth.from(to.atZone(calendar.zone())).plusMonths(REACH_MONTHS);
    List<FreezeInterval> intervals = new ArrayList<>();
    for (YearMonth month = first; !month.isAfter(last); month = month.plusMonths(1)) {
      if (period.endsIn(month)) {
        FreezeInterval interval = around(month.atEndOfMonth());
        if (interval.overlaps(from, to)) {
          intervals.add(interval);
        }
      }
    }
    return intervals;
  }

  /** The close around one period end. */
  FreezeInterval around(LocalDate periodEnd) {
    LocalDate firstDay = before == 0 ? periodEnd.plusDays(1) : calendar.businessDayBefore(periodEnd.plusDays(1), before);
    LocalDate lastDay = after == 0 ? periodEnd : calendar.businessDayAfter(periodEnd, after);
    return new FreezeInterval(name, WallClock.start(firstDay, calendar.zone()),
        WallClock.start(lastDay.plusDays(1), calendar.zone()), allowed);
  }
}
