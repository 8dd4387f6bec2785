package io.odoogitops.policy;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * "Deploy only Tue-Thu 06:00-16:00": frozen at every moment outside the allowed weekly slots. The freeze intervals
 * are the gaps between slots, so a status query reports the whole gap (Thursday 16:00 until Tuesday 06:00) rather
 * than a day at a time. With a calendar, its weekends and holidays have no slot.
 */
record AllowOnlyWindow(String name, Set<DayOfWeek> days, LocalTime from, LocalTime to, ZoneId zone,
    Optional<BusinessCalendar> calendar, Set<Action> allowed) implements FreezeWindow {

  /** How far to look for the next slot; past that the window is treated as one long freeze. */
  private static final int MAX_SEARCH_DAYS = 400;

  AllowOnlyWindow {
    days = Set.copyOf(days);
  }

  @Override
  public List<FreezeInterval> between(Instant rangeStart, Instant rangeEnd) {
    // Widen the local date range to a slot on each side, so the gaps at the edges are whole.
    LocalDate low = rangeStart.atZone(zone).toLocalDate().minusDays(1);
    for (int i = 0; i < MAX_SEARCH_DAYS && !hasSlot(low); i++) {
      low = low.minusDays(1);
    }
    LocalDate high = rangeEnd.atZone(zone).toLocalDate().plusDays(1);
    for (int i = 0; i < MAX_SEARCH_DAYS && !hasSlot(high); i++) {
      high = high.plusDays(1);
    }
    List<Slot> slots = new ArrayList<>();
    for (LocalDate day = low; !day.isAfter(high); day = day.plusDays(1)) {
      if (hasSlot(day)) {
        slots.add(slot(day));
      }
    }
    List<FreezeInterval> gaps = new ArrayList<>();
    Instant openUntil = slots.isEmpty() ? WallClock.start(low, zone) : slots.get(0).start();
    if (slots.isEmpty()) {
      gaps.add(new FreezeInterval(name, openUntil, WallClock.start(high.plusDays(1), zone), allowed));
    }
    for (int i = 0; i < slots.size(); i++) {
      Instant slotEnd = slots.get(i).end();
      // Overlapping slots (22:00-06:00 every day) merge: the gap starts at the latest end reached so far.
      openUntil = slotEnd.isAfter(openUntil) ? slotEnd : openUntil;
      if (i + 1 < slots.size() && openUntil.isBefore(slots.get(i + 1).start())) {
        gaps.add(new FreezeInterval(name, openUntil, slots.get(i + 1).start(), allowed));
      }
    }
    return gaps.stream().filter(g -> g.overlaps(rangeStart, rangeEnd)).toList();
  }

  private boolean hasSlot(LocalDate day) {
    return days.contains(day.getDayOfWeek()) && calendar.map(c -> c.isBusinessDay(day)).orElse(true);
  }

  /** The slot starting on {@code day}; one ending at or before its start time ends the next day. */
  private Slot slot(LocalDate day) {
    LocalDate endDay = to.isAfter(from) ? day : day.plusDays(1);
    return new Slot(WallClock.instant(day.atTime(from), zone),
        WallClock.instant(endDay.atTime(to), zone));
  }

  /** A span during which deployments are allowed. */
  private record Slot(Instant start, Instant end) {}
}
