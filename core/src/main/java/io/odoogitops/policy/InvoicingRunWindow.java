package io.odoogitops.policy;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Invoicing-run days: each listed day of month is frozen whole, widened by business days on each side. Day 31 means
 * the month's last day in shorter months (so a run "on the 31st" still happens in February); negative days count
 * from the month's end (-1 is the last day).
 */
record InvoicingRunWindow(String name, List<Integer> days, int before, int after, BusinessCalendar calendar,
    Set<Action> allowed) implements FreezeWindow {

  private static final int REACH_MONTHS = 2;

  InvoicingRunWindow {
    days = List.copyOf(days);
  }

  @Override
  public List<FreezeInterval> between(Instant from, Instant to) {
    YearMonth first = YearMonth.from(from.atZone(calendar.zone())).minusMonths(REACH_MONTHS);
    YearMonth last = YearMonth.from(to.atZone(calendar.zone())).plusMonths(REACH_MONTHS);
    List<FreezeInterval> intervals = new ArrayList<>();
    for (YearMonth month = first; !month.isAfter(last); month = month.plusMonths(1)) {
      for (LocalDate runDay : runDays(month)) {
        FreezeInterval interval = around(runDay);
        if (interval.overlaps(from, to)) {
          intervals.add(interval);
        }
      }
    }
    intervals.sort(Comparator.comparing(FreezeInterval::start));
    return intervals;
  }

  /** The run dates in {@code month}, without duplicates (31 and -1 may both be the last day). */
  List<LocalDate> runDays(YearMonth month) {
    return days.stream()
        .map(d -> d > 0 ? month.atDay(Math.min(d, month.lengthOfMonth()))
            : month.atDay(Math.max(1, month.lengthOfMonth() + 1 + d)))
        .distinct().sorted().toList();
  }

  private FreezeInterval around(LocalDate runDay) {
    LocalDate firstDay = before == 0 ? runDay : calendar.businessDayBefore(runDay, before);
    LocalDate lastDay = after == 0 ? runDay : calendar.businessDayAfter(runDay, after);
    return new FreezeInterval(name, WallClock.start(firstDay, calendar.zone()),
        WallClock.start(lastDay.plusDays(1), calendar.zone()), allowed);
  }
}
