package io.odoogitops.policy;

import io.odoogitops.config.EnvironmentSpec;
import io.odoogitops.config.ReleaseConfig;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** The freeze windows of one environment and the questions asked of them. */
public final class FreezeSchedule {

  /** Looking further ahead than this for an open moment means the schedule is effectively a permanent freeze. */
  static final Duration HORIZON = Duration.ofDays(2 * 366);
  /** How far ahead {@link #status} looks for the next freeze of an open environment. */
  private static final Duration NEXT_FREEZE_LOOKAHEAD = Duration.ofDays(400);

  private final String environment;
  private final List<FreezeWindow> windows;
  private volatile Point lastPoint;

  FreezeSchedule(String environment, List<FreezeWindow> windows) {
    this.environment = environment;
    this.windows = List.copyOf(windows);
  }

  /** The schedule of {@code env} in a validated configuration. */
  public static FreezeSchedule of(ReleaseConfig config, EnvironmentSpec env) {
    return new FreezeSchedule(env.name(), FreezeWindows.of(config, env));
  }

  public String environment() {
    return environment;
  }

  /** Every freeze interval overlapping {@code [from, to)}, whole, ordered by start then window name. */
  public List<FreezeInterval> windows(Instant from, Instant to) {
    boolean point = to.equals(from.plusNanos(1));
    Point memo = lastPoint;
    if (point && memo != null && memo.at().equals(from)) {
      return new ArrayList<>(memo.intervals());
    }
    List<FreezeInterval> all = new ArrayList<>();
    windows.forEach(w -> all.addAll(w.between(from, to)));
    all.sort(Comparator.comparing(FreezeInterval::start).thenComparing(FreezeInterval::window));
    if (point) {
      lastPoint = new Point(from, List.copyOf(all));
    }
    return all;
  }

  /**
   * The answer to the last "what is active at this instant" question. The schedule never changes, so it stays right;
   * it is kept because callers ask the same instant in a row (a fleet plan asks whether a tenant is frozen, when it
   * opens, whose first probe is the same instant, and its gate's freeze rule: three times per tenant).
   */
  private record Point(Instant at, List<FreezeInterval> intervals) {}

  /**
   * A calendar view: for each local day in {@code [from, to]} in {@code zone}, whether promotions are frozen during
   * all, part or none of it.
   */
  public List<FreezeDay> days(LocalDate from, LocalDate to, ZoneId zone) {
    List<FreezeInterval> blocking = windows(WallClock.start(from, zone), WallClock.start(to.plusDays(1), zone))
        .stream().filter(i -> i.blocks(Action.PROMOTE)).toList();
    List<FreezeDay> days = new ArrayList<>();
    for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
      Instant start = WallClock.start(day, zone);
      Instant end = WallClock.start(day.plusDays(1), zone);
      List<FreezeInterval> touching = blocking.stream().filter(i -> i.overlaps(start, end)).toList();
      FreezeDay.Coverage coverage = touching.isEmpty() ? FreezeDay.Coverage.OPEN
          : covers(touching, start, end) ? FreezeDay.Coverage.FROZEN : FreezeDay.Coverage.PARTLY_FROZEN;
      days.add(new FreezeDay(day, coverage, touching.stream().map(FreezeInterval::window).distinct().toList()));
    }
    return days;
  }

  /** Whether the intervals, sorted by start, leave no moment of {@code [start, end)} uncovered. */
  private static boolean covers(List<FreezeInterval> sortedByStart, Instant start, Instant end) {
    Instant reached = start;
    for (FreezeInterval interval : sortedByStart) {
      if (interval.start().isAfter(reached)) {
        return false;
      }
      reached = interval.end().isAfter(reached) ? interval.end() : reached;
    }
    return !reached.isBefore(end);
  }

  /** Whether promotions are frozen at {@code at}, by which windows, and until when. */
  public FreezeStatus status(Instant at) {
    List<FreezeInterval> active = windows(at, at.plusNanos(1));
    if (active.isEmpty()) {
      Optional<FreezeInterval> next = windows(at, at.plus(NEXT_FREEZE_LOOKAHEAD)).stream()
          .filter(i -> i.start().isAfter(at) && i.blocks(Action.PROMOTE))
          .findFirst();
      return new FreezeStatus(environment, at, active, Optional.of(at), next);
    }
    return new FreezeStatus(environment, at, active, nextOpen(at, Action.PROMOTE), Optional.empty());
  }

  /**
   * The first instant at or after {@code at} when no window blocks {@code action}; chained and overlapping windows
   * are followed (a month-end close running into a holiday freeze opens when the later one ends). Empty when the
   * schedule stays closed for longer than {@link #HORIZON}.
   */
  public Optional<Instant> nextOpen(Instant at, Action action) {
    Instant limit = at.plus(HORIZON);
    Instant candidate = at;
    while (candidate.isBefore(limit)) {
      Instant probe = candidate;
      Optional<Instant> blockedUntil = windows(probe, probe.plusNanos(1)).stream()
          .filter(i -> i.blocks(action))
          .map(FreezeInterval::end)
          .max(Comparator.naturalOrder());
      if (blockedUntil.isEmpty()) {
        return Optional.of(candidate);
      }
      candidate = blockedUntil.get();
    }
    return Optional.empty();
  }
}
