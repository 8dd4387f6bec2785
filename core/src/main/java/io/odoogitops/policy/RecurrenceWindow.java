package io.odoogitops.policy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.dmfs.rfc5545.DateTime;
import org.dmfs.rfc5545.recur.InvalidRecurrenceRuleException;
import org.dmfs.rfc5545.recur.RecurrenceRule;
import org.dmfs.rfc5545.recur.RecurrenceRuleIterator;

/**
 * An RFC 5545 recurrence rule plus a duration. lib-recur expands the rule in <em>floating</em> local time (as if the
 * zone had no DST), and each occurrence and its end are then placed in the zone by {@link WallClock}: a window starting at 00:00 for PT24H
 * ends at the next 00:00 even on a 23- or 25-hour day, which is what people mean by "the 15th is frozen".
 */
final class RecurrenceWindow implements FreezeWindow {

  private final String name;
  private final String ruleText;
  private final LocalDateTime start;
  private final Duration duration;
  private final ZoneId zone;
  private final Set<Action> allowed;

  RecurrenceWindow(String name, String ruleText, LocalDateTime start, Duration duration, ZoneId zone,
      Set<Action> allowed) {
    this.name = name;
    this.ruleText = ruleText;
    this.start = start;
    this.duration = duration;
    this.zone = zone;
    this.allowed = Set.copyOf(allowed);
    rule(); // fail early on a rule that slipped past validation
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Set<Action> allowed() {
    return allowed;
  }

  @Override
  public List<FreezeInterval> between(Instant from, Instant to) {
    // A day of slack on each side covers offset changes between the instant range and local time.
    LocalDateTime earliest = from.atZone(zone).toLocalDateTime().minus(duration).minusDays(1);
    LocalDateTime latest = to.atZone(zone).toLocalDateTime().plusDays(1);
    RecurrenceRuleIterator it = rule().iterator(floating(start));
    if (earliest.isAfter(start)) {
      it.fastForward(floating(earliest));
    }
    List<FreezeInterval> intervals = new ArrayList<>();
    while (it.hasNext()) {
      LocalDateTime occurrence = local(it.nextDateTime());
      if (occurrence.isAfter(latest)) {
        break;
      }
      Instant begin = WallClock.instant(occurrence, zone);
      Instant end = WallClock.instant(occurrence.plus(duration), zone);
      if (begin.isBefore(end) && begin.isBefore(to) && end.isAfter(from)) {
        intervals.add(new FreezeInterval(name, begin, end, allowed));
      }
    }
    return intervals;
  }

  private RecurrenceRule rule() {
    try {
      return new RecurrenceRule(ruleText, RecurrenceRule.RfcMode.RFC5545_STRICT);
    } catch (InvalidRecurrenceRuleException e) {
      throw new IllegalArgumentException("invalid RRULE '" + ruleText + "': " + e.getMessage(), e);
    }
  }

  private static DateTime floating(LocalDateTime t) {
    return new DateTime(t.getYear(), t.getMonthValue() - 1, t.getDayOfMonth(), t.getHour(), t.getMinute(),
        t.getSecond());
  }

  private static LocalDateTime local(DateTime t) {
    return LocalDateTime.of(t.getYear(), t.getMonth() + 1, t.getDayOfMonth(), t.getHours(), t.getMinutes(),
        t.getSeconds());
  }
}
